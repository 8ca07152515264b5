package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.devkit.MotoServer;
import io.splitline.devkit.MotoServerExtension;
import io.splitline.store.AwsClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/** {@code --cloudwatch-endpoint}: the local stack's rollout step reads real CloudWatch (here moto_server). */
@ExtendWith(MotoServerExtension.class)
class LocalStackCloudWatchTest {

    static void alarm(CloudWatchClient cloudWatch, String name, StateValue state) {
        cloudWatch.putMetricAlarm(b -> b.alarmName(name).namespace("AWS/ApiGateway").metricName("5XXError")
                .statistic(Statistic.SUM).period(60).evaluationPeriods(1).threshold(1.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
        cloudWatch.setAlarmState(b -> b.alarmName(name).stateValue(state).stateReason("set by the test"));
    }

    static JsonNode awaitFinal(ApiClient admin, String key) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        JsonNode rollout = admin.get("/rollouts/" + key).expect(200);
        while (rollout.get("status").asText().equals("in_progress") && System.nanoTime() < deadline) {
            Thread.sleep(200); // polling the stack's own timer; nothing is asserted on time
            rollout = admin.get("/rollouts/" + key).expect(200);
        }
        return rollout;
    }

    @Test
    void alarmInAlarm_rollsBack_andAnOkAlarmLetsTheRolloutComplete(MotoServer moto) throws Exception {
        assertEquals(AwsClients.region(), moto.region(), "the stack and the test talk to the same moto region");
        CloudWatchClient cloudWatch = CloudWatchClient.builder().endpointOverride(moto.endpoint()).region(moto.region())
                .credentialsProvider(moto.credentials()).httpClient(AwsClients.httpClient()).build();
        alarm(cloudWatch, "ranker-5xx", StateValue.ALARM);
        alarm(cloudWatch, "search-5xx", StateValue.OK);
        LocalOptions options = LocalOptions.parse("--port", "0", "--admin-key", "admin-key-for-tests",
                "--step-interval", "PT0.3S", "--cloudwatch-endpoint", moto.endpoint().toString());

        try (LocalStack stack = LocalStack.start(options)) {
            ApiClient admin = new ApiClient(stack.baseUri(), "admin-key-for-tests");
            for (String key : new String[] {"ranker", "search"}) {
                admin.post("/rollouts", "{\"key\": \"" + key + "\", \"stages\": [{\"percent\": 100, \"bake\": \"PT0S\"}],"
                        + " \"health\": {\"alarms\": [\"" + key + "-5xx\"]}}").expect(201);
                admin.post("/rollouts/" + key + "/start", null).expect(200);
            }

            JsonNode broken = awaitFinal(admin, "ranker");
            JsonNode healthy = awaitFinal(admin, "search");

            assertEquals("rolled_back", broken.get("status").asText());
            assertEquals(0, broken.get("percent").asInt());
            assertTrue(broken.get("lastDecision").get("reason").asText().contains("ranker-5xx"), broken.toString());
            assertEquals("completed", healthy.get("status").asText(), healthy.toString());
            assertEquals(1, stack.rolledBack().size());
        }
    }
}
