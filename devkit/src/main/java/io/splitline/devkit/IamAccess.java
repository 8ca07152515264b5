package io.splitline.devkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * What IAM checks for one SDK request: the actions and resources, as AWS authorizes them. Most requests
 * need {@code <service>:<Operation>} on one resource; a DynamoDB transaction needs, per item, the action of
 * that item ({@code ConditionCheck} is {@code dynamodb:ConditionCheckItem}, {@code Put} is {@code PutItem}…)
 * on that item's table, and a batch needs its action on every table it names.
 *
 * <p>To record a new service, add its IAM prefix to {@link #PREFIXES} and, when its actions support
 * resource-level permissions, a case to {@link #of} naming the ARN. Without one, the call is recorded on
 * {@code *}, which only a statement with {@code Resource: "*"} allows, so the IAM check names the call.
 */
final class IamAccess {
    /** IAM prefix by the SDK's service name, where the two differ beyond case. */
    private static final Map<String, String> PREFIXES = Map.of("EventBridge", "events");

    private IamAccess() {
    }

    /** One permission: an IAM action on a resource ARN (or {@code *}). */
    record Grant(String action, String resource) {
    }

    static List<Grant> of(String service, String operation, SdkRequest request, String region, String account) {
        String prefix = PREFIXES.getOrDefault(service, service.toLowerCase(Locale.ROOT));
        String arnPrefix = "arn:aws:" + prefix + ":" + region + ":" + account + ":";
        return switch (prefix) {
            case "dynamodb" -> dynamoDb(operation, request, arnPrefix);
            case "events" -> "PutEvents".equals(operation) ? eventBuses(request, arnPrefix) : anyResource(prefix, operation);
            case "lambda" -> named(prefix, operation, request, "FunctionName", arnPrefix + "function:", false);
            // SageMaker's ARNs carry the endpoint name in lower case.
            case "sagemaker" -> named(prefix, operation, request, "EndpointName", arnPrefix + "endpoint/", true);
            case "s3" -> s3Object(operation, request);
            // GetMetricData and DescribeAlarms, the calls Splitline makes, take no resource-level permissions.
            default -> anyResource(prefix, operation);
        };
    }

    private static List<Grant> anyResource(String prefix, String operation) {
        return List.of(new Grant(prefix + ":" + operation, "*"));
    }

    /**
     * An action on the resource a request names in {@code field} (a Lambda function, qualified by the request's
     * {@code Qualifier} when it has one; a SageMaker endpoint); {@code *} when it names none.
     */
    private static List<Grant> named(String prefix, String operation, SdkRequest request, String field, String arnPrefix,
                                     boolean lowerCase) {
        Optional<String> name = request.getValueForField(field, String.class)
                .map(n -> lowerCase ? n.toLowerCase(Locale.ROOT) : n);
        if (name.isEmpty()) {
            return anyResource(prefix, operation);
        }
        String qualifier = request.getValueForField("Qualifier", String.class).map(q -> ":" + q).orElse("");
        return List.of(new Grant(prefix + ":" + operation, arnPrefix + name.get() + qualifier));
    }

    /** An action on the object a request names by {@code Bucket} and {@code Key} (S3's ARNs have no region or account). */
    private static List<Grant> s3Object(String operation, SdkRequest request) {
        Optional<String> bucket = request.getValueForField("Bucket", String.class);
        Optional<String> key = request.getValueForField("Key", String.class);
        if (bucket.isEmpty() || key.isEmpty()) {
            return anyResource("s3", operation);
        }
        return List.of(new Grant("s3:" + operation, "arn:aws:s3:::" + bucket.get() + "/" + key.get()));
    }

    private static List<Grant> dynamoDb(String operation, SdkRequest request, String arnPrefix) {
        List<Grant> grants = new ArrayList<>();
        if (request instanceof TransactWriteItemsRequest transact) {
            for (TransactWriteItem item : transact.transactItems()) {
                if (item.conditionCheck() != null) {
                    grants.add(table("ConditionCheckItem", arnPrefix, item.conditionCheck().tableName()));
                } else if (item.put() != null) {
                    grants.add(table("PutItem", arnPrefix, item.put().tableName()));
                } else if (item.update() != null) {
                    grants.add(table("UpdateItem", arnPrefix, item.update().tableName()));
                } else if (item.delete() != null) {
                    grants.add(table("DeleteItem", arnPrefix, item.delete().tableName()));
                }
            }
        } else if (request instanceof TransactGetItemsRequest transact) {
            transact.transactItems().forEach(item -> grants.add(table("GetItem", arnPrefix, item.get().tableName())));
        } else if (request instanceof BatchGetItemRequest batch) {
            batch.requestItems().keySet().forEach(name -> grants.add(table(operation, arnPrefix, name)));
        } else if (request instanceof BatchWriteItemRequest batch) {
            batch.requestItems().keySet().forEach(name -> grants.add(table(operation, arnPrefix, name)));
        } else {
            Optional<String> name = request.getValueForField("TableName", String.class);
            Optional<String> index = request.getValueForField("IndexName", String.class);
            String resource = name.map(n -> arnPrefix + "table/" + n + index.map(i -> "/index/" + i).orElse(""))
                    .orElse("*");
            grants.add(new Grant("dynamodb:" + operation, resource));
        }
        return grants;
    }

    private static Grant table(String action, String arnPrefix, String tableName) {
        return new Grant("dynamodb:" + action, arnPrefix + "table/" + tableName);
    }

    /** PutEvents needs the action on each entry's bus (the default bus when an entry names none). */
    private static List<Grant> eventBuses(SdkRequest request, String arnPrefix) {
        List<Grant> grants = new ArrayList<>();
        for (Object entry : request.getValueForField("Entries", List.class).orElse(List.of())) {
            String bus = ((SdkPojo) entry).sdkFields().stream()
                    .filter(f -> f.memberName().equals("EventBusName"))
                    .map(f -> (String) f.getValueOrDefault(entry))
                    .filter(b -> b != null && !b.isBlank())
                    .findFirst().orElse("default");
            grants.add(new Grant("events:PutEvents", bus.startsWith("arn:") ? bus : arnPrefix + "event-bus/" + bus));
        }
        return grants;
    }
}
