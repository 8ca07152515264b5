package io.splitline.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;

/** The IAM actions and resources AWS checks for a request, per the service authorization reference. */
class IamAccessTest {
    private static final String TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/";
    private static final Map<String, AttributeValue> KEY = Map.of("pk", AttributeValue.fromS("x"));

    private static List<IamAccess.Grant> grants(String service, String operation, software.amazon.awssdk.core.SdkRequest request) {
        return IamAccess.of(service, operation, request, "us-east-1", "123456789012");
    }

    @Test
    void transactWriteItems_needsTheActionOfEachItemOnItsTable() {
        TransactWriteItemsRequest request = TransactWriteItemsRequest.builder().transactItems(
                i -> i.conditionCheck(c -> c.tableName("A").key(KEY).conditionExpression("attribute_not_exists(pk)")),
                i -> i.put(p -> p.tableName("A").item(KEY)),
                i -> i.update(u -> u.tableName("B").key(KEY).updateExpression("SET v = :v")),
                i -> i.delete(d -> d.tableName("C").key(KEY))).build();

        assertEquals(List.of(
                new IamAccess.Grant("dynamodb:ConditionCheckItem", TABLE + "A"),
                new IamAccess.Grant("dynamodb:PutItem", TABLE + "A"),
                new IamAccess.Grant("dynamodb:UpdateItem", TABLE + "B"),
                new IamAccess.Grant("dynamodb:DeleteItem", TABLE + "C")), grants("DynamoDb", "TransactWriteItems", request));
    }

    @Test
    void transactGetItems_needsGetItemOnEachTable() {
        TransactGetItemsRequest request = TransactGetItemsRequest.builder()
                .transactItems(i -> i.get(g -> g.tableName("A").key(KEY))).build();

        assertEquals(List.of(new IamAccess.Grant("dynamodb:GetItem", TABLE + "A")), grants("DynamoDb", "TransactGetItems", request));
    }

    @Test
    void batchGetItem_needsTheActionOnEveryTable() {
        BatchGetItemRequest request = BatchGetItemRequest.builder().requestItems(Map.of(
                "A", KeysAndAttributes.builder().keys(KEY).build())).build();

        assertEquals(List.of(new IamAccess.Grant("dynamodb:BatchGetItem", TABLE + "A")), grants("DynamoDb", "BatchGetItem", request));
    }

    @Test
    void queryOnAnIndex_targetsTheIndex() {
        QueryRequest request = QueryRequest.builder().tableName("A").indexName("by-kind").build();

        assertEquals(List.of(new IamAccess.Grant("dynamodb:Query", TABLE + "A/index/by-kind")), grants("DynamoDb", "Query", request));
    }

    @Test
    void putEvents_targetsEachEntrysBus_theDefaultOneWhenUnnamed() {
        PutEventsRequest request = PutEventsRequest.builder().entries(e -> e.eventBusName("ops").detail("{}"), e -> e.detail("{}")).build();

        assertEquals(List.of(
                new IamAccess.Grant("events:PutEvents", "arn:aws:events:us-east-1:123456789012:event-bus/ops"),
                new IamAccess.Grant("events:PutEvents", "arn:aws:events:us-east-1:123456789012:event-bus/default")),
                grants("EventBridge", "PutEvents", request));
    }

    @Test
    void actionsWithoutResourceLevelPermissions_areRecordedOnAnyResource() {
        assertEquals(List.of(new IamAccess.Grant("cloudwatch:GetMetricData", "*")),
                grants("CloudWatch", "GetMetricData", GetMetricDataRequest.builder().build()));
    }
}
