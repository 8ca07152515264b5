package io.splitline.functions.experiments;

import static io.splitline.functions.experiments.Fixtures.event;
import static io.splitline.http.HandlerCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.devkit.MotoServer;
import io.splitline.devkit.MotoServerExtension;
import io.splitline.devkit.SubscribedQueue;
import io.splitline.http.HandlerCalls;
import io.splitline.notify.EventBridgeNotifier;
import io.splitline.notify.Notification;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The management API's notifications through the real EventBridge publisher (moto_server), as a
 * subscriber's rule delivers them: the other handler tests collect them in memory instead.
 */
@ExtendWith({DynamoDbLocalExtension.class, MotoServerExtension.class})
class ExperimentsNotificationsTest {

    @Test
    void anOperatorsStart_reachesASubscriberOfTheBus(MotoServer moto, LocalTables tables) {
        SubscribedQueue queue = new SubscribedQueue(moto, "experiments-test-bus", "{\"source\": [\"splitline\"]}");
        ExperimentsHandler handler = Fixtures.handler(tables, new EventBridgeNotifier(queue.eventBridge, queue.bus));

        assertEquals(201, call(handler, event("POST", "/experiments", null, null, Fixtures.EXAMPLE)).status());
        assertEquals(200, call(handler, event("POST", "/experiments/{key}/start", "checkout-button", null, null)).status());

        List<JsonNode> received = queue.received();
        assertEquals(List.of(Notification.EXPERIMENT_STARTED),
                received.stream().map(e -> e.get("detail-type").textValue()).toList());
        assertEquals("checkout-button", received.get(0).get("detail").get("experiment").textValue());
    }
}
