package io.splitline.iam;

import io.splitline.devkit.SamTemplate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one deployment both sides of the IAM check are expressed in: region {@value #REGION}, the recorder's
 * model account, parameters at their defaults but {@code PayloadBucket} ({@value #PAYLOAD_BUCKET}: the payload's
 * publication is on, so that its grant is checked), every resource named by its logical id. Recorded ARNs carry
 * the names the tests used; {@link #normalize} maps them to this deployment:
 * <ul>
 *   <li>a table is named {@code <prefix><LogicalId>} by devkit (tests) and the local stack, so the logical
 *       id is the longest template table id the name ends with;</li>
 *   <li>an event bus is whatever bus a test hands the publisher; deployed, it is always the bus of the
 *       {@code EventBusName} parameter (RolloutStepTemplateTest holds the wiring), so any bus maps to it;</li>
 *   <li>an S3 object is in whatever bucket a test hands the payload publisher; deployed, it is always the bucket
 *       of the {@code PayloadBucket} parameter, so any bucket maps to {@value #PAYLOAD_BUCKET} (the key is kept).</li>
 * </ul>
 * A resource kind a new call targets needs its rule here when tests name it differently from the template.
 */
final class ModelDeployment {
    static final String REGION = "us-east-1";
    static final String PAYLOAD_BUCKET = "model-payload-bucket";
    private static final Pattern S3_OBJECT = Pattern.compile("arn:aws:s3:::([^/]+)/(.+)");
    private static final Pattern TABLE = Pattern.compile("(arn:aws:dynamodb:[^:]*:[^:]*:table/)([^/]+)(.*)");
    private static final Pattern EVENT_BUS = Pattern.compile("(arn:aws:events:[^:]*:[^:]*:event-bus/)(.+)");

    private final List<String> tables;
    private final String eventBus;

    ModelDeployment(List<String> tables, String eventBus) {
        this.tables = tables.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        this.eventBus = eventBus;
    }

    @SuppressWarnings("unchecked")
    static ModelDeployment of(SamTemplate template) {
        Map<String, Object> parameters = (Map<String, Object>) template.root().get("Parameters");
        Map<String, Object> bus = (Map<String, Object>) parameters.get("EventBusName");
        return new ModelDeployment(template.resourcesOfType("AWS::DynamoDB::Table"), String.valueOf(bus.get("Default")));
    }

    /** The ARN a recorded one stands for in the model deployment. */
    String normalize(String resource) {
        Matcher table = TABLE.matcher(resource);
        if (table.matches()) {
            String name = table.group(2);
            return tables.stream().filter(name::endsWith).findFirst()
                    .map(id -> table.group(1) + id + table.group(3)).orElse(resource);
        }
        Matcher object = S3_OBJECT.matcher(resource);
        if (object.matches()) {
            return "arn:aws:s3:::" + PAYLOAD_BUCKET + "/" + object.group(2);
        }
        Matcher bus = EVENT_BUS.matcher(resource);
        if (bus.matches()) {
            return bus.group(1) + eventBus;
        }
        return resource;
    }
}
