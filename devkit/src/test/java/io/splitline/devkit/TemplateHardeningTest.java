package io.splitline.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a production owner expects of {@code template.yaml} (short-form tags read as their plain values:
 * {@code !If [c, a, b]} is {@code [c, a, b]}, {@code !Ref x} is {@code x}), and that the deploy guide
 * ({@code docs/deploying.md}) documents every parameter.
 */
@SuppressWarnings("unchecked")
class TemplateHardeningTest {
    private final SamTemplate template = SamTemplate.load();

    private static <T> T at(Object node, String... path) {
        Object current = node;
        for (String name : path) {
            current = ((Map<String, Object>) current).get(name);
        }
        return (T) current;
    }

    private Object parameterDefault(String name) {
        return at(template.root(), "Parameters", name, "Default");
    }

    @Test
    void tables_areDeletionProtectedByDefault_andRetained() {
        assertEquals("true", parameterDefault("TableDeletionProtection"));
        for (String table : template.resourcesOfType("AWS::DynamoDB::Table")) {
            assertEquals("TableDeletionProtection", template.properties(table).get("DeletionProtectionEnabled"), table);
            assertEquals("Retain", template.resources().get(table).get("DeletionPolicy"), table);
            assertEquals("Retain", template.resources().get(table).get("UpdateReplacePolicy"), table);
        }
    }

    @Test
    void deadLetterQueues_areRetained_encrypted_andKeepTheirMessagesTwoWeeks() {
        List<String> queues = template.resourcesOfType("AWS::SQS::Queue");

        assertEquals(List.of("AggregateFailureQueue", "RolloutStepDeadLetterQueue"), queues.stream().sorted().toList());
        for (String name : queues) {
            Map<String, Object> queue = template.resources().get(name);
            assertEquals("Retain", queue.get("DeletionPolicy"), name);
            assertEquals("Retain", queue.get("UpdateReplacePolicy"), name);
            assertEquals(true, template.properties(name).get("SqsManagedSseEnabled"), name);
            assertEquals(1209600, template.properties(name).get("MessageRetentionPeriod"), name);
        }
    }

    @Test
    void theStreamMapping_foldsInsertsInOrder_perShard_withBoundedRetries_andAFailureDestination() {
        Map<String, Object> mapping = template.properties("AggregateStreamMapping");

        assertEquals(1, mapping.get("ParallelizationFactor"), "the fold's markers need one batch in flight per shard");
        assertNotNull(mapping.get("TumblingWindowInSeconds"), "only the tumbling-window event names the shard");
        assertEquals("TRIM_HORIZON", mapping.get("StartingPosition"));
        assertEquals(true, mapping.get("BisectBatchOnFunctionError"));
        assertEquals(-1, mapping.get("MaximumRetryAttempts"), "a batch given up on is lost from the aggregates: retry until too old");
        int maxAge = ((Number) mapping.get("MaximumRecordAgeInSeconds")).intValue();
        assertTrue(maxAge > 0 && maxAge < 86_400, "bounded inside the stream's 24 h (marker pruning relies on it)");
        assertEquals(List.of(Map.of("Pattern", "{\"eventName\": [\"INSERT\"]}")), at(mapping, "FilterCriteria", "Filters"));
        assertEquals("AggregateFailureQueue.Arn", at(mapping, "DestinationConfig", "OnFailure", "Destination"));
        assertEquals("EventsTable.StreamArn", mapping.get("EventSourceArn"));
    }

    @Test
    void rolloutStep_hasReservedConcurrencyByDefault_andAppFunctionsCanBeCapped() {
        assertEquals(1, parameterDefault("RolloutStepReservedConcurrency"), "a flood of app calls must not starve the step");
        assertEquals(List.of("HasStepReservation", "RolloutStepReservedConcurrency", "AWS::NoValue"),
                template.properties("RolloutStepFunction").get("ReservedConcurrentExecutions"));
        assertEquals(0, parameterDefault("AppReservedConcurrency"));
        for (String function : List.of("AssignmentFunction", "IngestFunction")) {
            assertEquals(List.of("HasAppReservation", "AppReservedConcurrency", "AWS::NoValue"),
                    template.properties(function).get("ReservedConcurrentExecutions"), function);
        }
    }

    @Test
    void apiStage_writesJsonAccessLogs_toAGroupWithRetention() throws IOException {
        Map<String, Object> api = template.properties("Api");
        String format = at(api, "AccessLogSetting", "Format");
        JsonNode line = new ObjectMapper().readTree(format);

        assertEquals("ApiAccessLogGroup.Arn", at(api, "AccessLogSetting", "DestinationArn"));
        assertEquals("AccessLogRetentionDays", template.properties("ApiAccessLogGroup").get("RetentionInDays"));
        assertEquals(30, parameterDefault("AccessLogRetentionDays"));
        for (String field : List.of("requestId", "status", "path", "method", "apiKeyId", "caller", "latencyMs")) {
            assertTrue(line.has(field), "access log line has " + field + ": " + format);
        }
    }

    @Test
    void xRayTracing_isOneSwitch_offByDefault() {
        assertEquals("false", parameterDefault("XRayTracing"));
        assertEquals(List.of("HasTracing", true, false), template.properties("Api").get("TracingEnabled"));
        assertEquals(List.of("HasTracing", "Active", "PassThrough"), at(template.root(), "Globals", "Function", "Tracing"));
    }

    @Test
    void usagePlan_hasAnOptionalQuota_besideItsThrottle() {
        Map<String, Object> plan = template.properties("AppUsagePlan");

        assertEquals(List.of("HasAppQuota", Map.of("Limit", "AppQuotaLimit", "Period", "AppQuotaPeriod"), "AWS::NoValue"),
                plan.get("Quota"));
        assertEquals(0, parameterDefault("AppQuotaLimit"));
        assertNotNull(at(plan, "Throttle", "RateLimit"));
    }

    @Test
    void everyAlarm_notifiesTheTopic_whenOneIsGiven() {
        List<Object> toTopic = List.of("HasAlarmTopic", List.of("AlarmTopicArn"), "AWS::NoValue");
        List<String> alarms = template.resourcesOfType("AWS::CloudWatch::Alarm");

        assertEquals(4, alarms.size());
        for (String alarm : alarms) {
            assertEquals(toTopic, template.properties(alarm).get("AlarmActions"), alarm);
            assertEquals(toTopic, template.properties(alarm).get("OKActions"), alarm);
        }
    }

    @Test
    void everyParameter_hasADefaultAndADescription_andIsInTheDeployGuide() throws IOException {
        String deploying = Files.readString(Path.of(System.getProperty("splitline.repoRoot", ".."), "docs", "deploying.md"));
        int start = deploying.indexOf("\n## Parameters\n");
        assertTrue(start >= 0, "docs/deploying.md has a '## Parameters' section");
        int end = deploying.indexOf("\n## ", start + 1);
        String table = deploying.substring(start, end < 0 ? deploying.length() : end);
        Map<String, Map<String, Object>> parameters = at(template.root(), "Parameters");

        parameters.forEach((name, parameter) -> {
            assertTrue(parameter.containsKey("Default"), name + " has a default, so a guided deploy can accept them all");
            assertNotNull(parameter.get("Description"), name);
            assertTrue(table.contains("| `" + name + "` |"), name + " is in the parameter table of docs/deploying.md");
        });
    }
}
