package io.splitline.functions.rolloutstep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.devkit.SamTemplate;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code template.yaml} says about the rollout step matches the code it deploys. */
@SuppressWarnings("unchecked")
class RolloutStepTemplateTest {
    private static final SamTemplate TEMPLATE = SamTemplate.load(Path.of(System.getProperty("splitline.repoRoot"), "template.yaml"));

    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, String... path) {
        Object current = node;
        for (String name : path) {
            current = ((Map<String, Object>) current).get(name);
        }
        return (T) current;
    }

    @Test
    void function_namesThisHandlerAndJar_andRunsOnTheConfigurableSchedule() {
        Map<String, Object> function = TEMPLATE.properties("RolloutStepFunction");

        assertEquals(RolloutStepHandler.class.getName() + "::handleRequest", function.get("Handler"));
        assertEquals("functions/rollout-step/target/rollout-step.jar", function.get("CodeUri"));
        assertEquals("Schedule", at(function, "Events", "Schedule", "Type"));
        assertEquals("StepRate", at(function, "Events", "Schedule", "Properties", "Schedule"));
        assertEquals("rate(1 minute)", at(TEMPLATE.root(), "Parameters", "StepRate", "Default"));
        assertEquals("EventBusName", at(function, "Environment", "Variables", "EVENT_BUS_NAME"));
        assertEquals("SQS", at(function, "DeadLetterQueue", "Type"));
    }

    @Test
    void function_mayOnlyDoWhatTheStepNeeds() {
        List<Object> declared = at(((List<Object>) at(TEMPLATE.properties("RolloutStepFunction"), "Policies")).get(0),
                "Statement");
        // A conditional statement reads [condition, statement, AWS::NoValue]: only the payload's publication is one.
        List<Map<String, Object>> statements = declared.stream().map(s -> s instanceof List<?> conditional
                ? (Map<String, Object>) conditional.get(1) : (Map<String, Object>) s).toList();
        assertEquals(List.of(List.of("PublishesPayload", "s3:PutObject", "AWS::NoValue")), declared.stream()
                .filter(s -> s instanceof List<?>).map(s -> (List<Object>) s)
                .map(c -> List.of(c.get(0), ((List<Object>) at(c.get(1), "Action")).get(0), c.get(2))).toList());
        List<String> actions = statements.stream().flatMap(s -> ((List<String>) s.get("Action")).stream()).sorted().toList();

        assertEquals(List.of("cloudwatch:DescribeAlarms", "cloudwatch:GetMetricData", "dynamodb:GetItem",
                "dynamodb:PutItem", "dynamodb:Query", "events:PutEvents", "lambda:GetAlias",
                "lambda:GetFunctionConfiguration", "lambda:UpdateAlias", "s3:PutObject", "sagemaker:DescribeEndpoint",
                "sagemaker:UpdateEndpointWeightsAndCapacities"), actions);
        assertTrue(statements.stream().filter(s -> s.get("Resource").equals("*"))
                .allMatch(s -> ((List<String>) s.get("Action")).stream().allMatch(a -> a.startsWith("cloudwatch:"))),
                "only the CloudWatch reads need Resource *");
    }

    @Test
    void errorsOfTheFunction_areAlarmed() {
        Map<String, Object> alarm = TEMPLATE.properties("RolloutStepErrorsAlarm");

        assertEquals("AWS/Lambda", alarm.get("Namespace"));
        assertEquals("Errors", alarm.get("MetricName"));
        assertEquals("RolloutStepFunction", at(((List<Object>) alarm.get("Dimensions")).get(0), "Value"));
    }
}
