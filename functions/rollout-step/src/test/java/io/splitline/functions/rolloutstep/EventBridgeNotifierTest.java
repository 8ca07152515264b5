package io.splitline.functions.rolloutstep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.devkit.MotoServer;
import io.splitline.devkit.MotoServerExtension;
import io.splitline.devkit.SubscribedQueue;
import io.splitline.json.Json;
import io.splitline.notify.EventBridgeNotifier;
import io.splitline.notify.Notification;
import io.splitline.rollout.Rollout;
import io.splitline.rollout.RolloutNotifications;
import io.splitline.rollout.step.RolloutEvents;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The EventBridge publisher against moto_server: a rule on a bus, matching Splitline's events, delivers
 * them to an SQS queue, where the test reads exactly what a subscriber would get.
 */
@ExtendWith(MotoServerExtension.class)
class EventBridgeNotifierTest {

    private static EventBridgeClient eventBridge(MotoServer moto) {
        return EventBridgeClient.builder().endpointOverride(moto.endpoint()).region(moto.region())
                .credentialsProvider(moto.credentials()).httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void rollback_isDeliveredToASubscribedRule_withReasonAndObservations(MotoServer moto) {
        // given a bus with a rule for Splitline rollbacks that targets a queue (as a subscriber would set up)
        SubscribedQueue queue = new SubscribedQueue(moto, "splitline-test-bus",
                "{\"source\": [\"splitline\"], \"detail-type\": [\"Splitline Rollout Rolled Back\"]}");
        ObjectNode observations = Json.object();
        observations.putObject("health").putArray("checks").addObject().put("name", "v2-error-rate").put("value", 0.1);
        Rollout rollout = StepFixtures.rolledBack("new-ranker", "unhealthy at 25%: check 'v2-error-rate' breached", observations);

        // when the step announces the rollback
        RolloutEvents.to(new EventBridgeNotifier(queue.eventBridge, queue.bus)).rolledBack(rollout);

        // then the subscriber receives one event with the documented source, detail-type and detail
        List<JsonNode> events = queue.received();
        assertEquals(1, events.size());
        JsonNode event = events.get(0);
        assertEquals(RolloutEvents.SOURCE, event.get("source").textValue());
        assertEquals(RolloutEvents.ROLLED_BACK, event.get("detail-type").textValue());
        JsonNode detail = event.get("detail");
        assertEquals("new-ranker", detail.get("rollout").textValue());
        assertEquals("rolled_back", detail.get("status").textValue());
        assertEquals(25, detail.get("fromPercent").intValue());
        assertEquals(0, detail.get("percent").intValue());
        assertEquals(1, detail.get("stageIndex").intValue());
        assertEquals(rollout.version(), detail.get("version").longValue());
        assertEquals("unhealthy at 25%: check 'v2-error-rate' breached", detail.get("reason").textValue());
        assertEquals("2026-11-24T10:17:00Z", detail.get("at").textValue());
        assertEquals(0.1, detail.get("observations").get("health").get("checks").get(0).get("value").doubleValue());
    }

    @Test
    void publishingToABusThatDoesNotExist_fails(MotoServer moto) {
        RolloutEvents events = RolloutEvents.to(new EventBridgeNotifier(eventBridge(moto), "no-such-bus"));

        assertThrows(RuntimeException.class, () -> events.rolledBack(StepFixtures.rolledBack("r1", "unhealthy", null)));
    }

    private static Notification rolledBack(Rollout rollout) {
        return RolloutNotifications.rollout(Notification.ROLLOUT_ROLLED_BACK, rollout);
    }

    @Test
    void observationsTooLargeForOneEvent_areLeftOut_andFlagged() {
        ObjectNode huge = Json.object();
        huge.put("blob", "x".repeat(EventBridgeNotifier.MAX_DETAIL_BYTES));

        JsonNode detail = Json.parseTrusted(EventBridgeNotifier.detail(rolledBack(StepFixtures.rolledBack("r1", "unhealthy", huge))));
        JsonNode small = Json.parseTrusted(EventBridgeNotifier.detail(rolledBack(StepFixtures.rolledBack("r1", "unhealthy",
                Json.object().put("blob", "x")))));

        assertFalse(detail.has("observations"));
        assertTrue(detail.get("observationsOmitted").booleanValue());
        assertTrue(Json.write(detail).getBytes(StandardCharsets.UTF_8).length < EventBridgeNotifier.MAX_DETAIL_BYTES);
        assertEquals("x", small.get("observations").get("blob").textValue());
        assertFalse(small.has("observationsOmitted"));
    }
}
