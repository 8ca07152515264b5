package io.splitline.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import io.splitline.json.JsonValues;
import io.splitline.settings.Settings;
import io.splitline.store.AwsClients;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Publishes notifications to an EventBridge bus, one PutEvents entry each: {@code source}
 * {@value Notifier#SOURCE}, the notification's {@code detail-type}, time and detail. An entry holds at
 * most 256 KB; a rollout's observations that would not fit are left out (flagged by
 * {@code "observationsOmitted": true}): they are in the rollout's history either way.
 */
public final class EventBridgeNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(EventBridgeNotifier.class);
    /** Room left for source, detail-type and the entry's other fields within EventBridge's 256 KB. */
    public static final int MAX_DETAIL_BYTES = 240 * 1024;
    /** The bus when {@code EVENT_BUS_NAME} is not set: the account's default bus. */
    public static final String DEFAULT_BUS = "default";

    private final EventBridgeClient client;
    private final String busName;

    /**
     * @param busName the bus name or ARN ({@code default} for the account's default bus)
     */
    public EventBridgeNotifier(EventBridgeClient client, String busName) {
        this.client = client;
        this.busName = busName;
    }

    /**
     * The publisher of a function in AWS Lambda: the bus from {@code EVENT_BUS_NAME} (default
     * {@value #DEFAULT_BUS}); {@code EVENTBRIDGE_ENDPOINT} points it at an emulator.
     */
    public static EventBridgeNotifier fromEnvironment() {
        EventBridgeClient client = AwsClients.build(EventBridgeClient.builder(), Settings.env("EVENTBRIDGE_ENDPOINT"));
        return new EventBridgeNotifier(client, Settings.env("EVENT_BUS_NAME").orElse(DEFAULT_BUS));
    }

    @Override
    public void publish(Notification notification) {
        PutEventsRequestEntry entry = PutEventsRequestEntry.builder()
                .eventBusName(busName)
                .source(SOURCE)
                .detailType(notification.detailType())
                .time(notification.time())
                .detail(detail(notification))
                .build();
        PutEventsResponse response = client.putEvents(b -> b.entries(entry));
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            PutEventsResultEntry failed = response.entries().get(0);
            throw new IllegalStateException("EventBridge refused the '" + notification.detailType() + "' event: "
                    + failed.errorCode() + " " + failed.errorMessage());
        }
        LOG.info("published '{}' on bus {}: {}", notification.detailType(), busName, subject(notification));
    }

    /** The event's detail JSON, observations left out when they would not fit. */
    public static String detail(Notification notification) {
        ObjectNode trimmed = JsonValues.node(notification.detail());
        String json = Json.write(trimmed);
        if (json.getBytes(StandardCharsets.UTF_8).length <= MAX_DETAIL_BYTES || !trimmed.has("observations")) {
            return json;
        }
        trimmed.remove("observations");
        trimmed.put("observationsOmitted", true);
        return Json.write(trimmed);
    }

    private static String subject(Notification n) {
        ObjectNode detail = JsonValues.node(n.detail());
        return detail.has("rollout") ? "rollout " + detail.get("rollout").asText()
                : "experiment " + detail.path("experiment").asText();
    }
}
