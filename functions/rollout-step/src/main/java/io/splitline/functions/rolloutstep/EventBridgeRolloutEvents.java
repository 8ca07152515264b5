package io.splitline.functions.rolloutstep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import io.splitline.rollout.Rollout;
import io.splitline.rollout.RolloutDecision;
import io.splitline.rollout.RolloutEvents;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Publishes rollbacks to an EventBridge bus: {@code source} {@value RolloutEvents#SOURCE},
 * {@code detail-type} {@value RolloutEvents#ROLLED_BACK}, and a detail that says which rollout, from
 * which percent, why, and on which observations:
 * <pre>{@code
 * {"rollout": "new-ranker", "description": "Ranker v2", "status": "rolled_back", "version": 9,
 *  "stageIndex": 1, "fromPercent": 25, "percent": 0, "at": "2026-11-24T10:47:00Z",
 *  "reason": "unhealthy at 25%: check 'v2-error-rate' breached: ...", "observations": {...}}
 * }</pre>
 * A PutEvents entry holds at most 256 KB; observations that would not fit are left out (flagged by
 * {@code "observationsOmitted": true}): they are in the rollout's history either way.
 */
public final class EventBridgeRolloutEvents implements RolloutEvents {
    private static final Logger LOG = LoggerFactory.getLogger(EventBridgeRolloutEvents.class);
    /** Room left for source, detail-type and the entry's other fields within EventBridge's 256 KB. */
    static final int MAX_DETAIL_BYTES = 240 * 1024;

    private final EventBridgeClient client;
    private final String busName;

    /**
     * @param busName the bus name or ARN ({@code default} for the account's default bus)
     */
    public EventBridgeRolloutEvents(EventBridgeClient client, String busName) {
        this.client = client;
        this.busName = busName;
    }

    @Override
    public void rolledBack(Rollout rollout) {
        PutEventsRequestEntry entry = PutEventsRequestEntry.builder()
                .eventBusName(busName)
                .source(SOURCE)
                .detailType(ROLLED_BACK)
                .time(rollout.lastDecision().at())
                .detail(detail(rollout))
                .build();
        PutEventsResponse response = client.putEvents(b -> b.entries(entry));
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            PutEventsResultEntry failed = response.entries().get(0);
            throw new IllegalStateException("EventBridge refused the rollback event of " + rollout.key() + ": "
                    + failed.errorCode() + " " + failed.errorMessage());
        }
        LOG.info("published '{}' for rollout {} version {} on bus {}", ROLLED_BACK, rollout.key(), rollout.version(), busName);
    }

    /** The event's detail JSON. */
    static String detail(Rollout rollout) {
        RolloutDecision d = rollout.lastDecision();
        ObjectNode detail = Json.object();
        detail.put("rollout", rollout.key());
        detail.put("description", rollout.spec().description());
        detail.put("status", rollout.status().json());
        detail.put("version", rollout.version());
        detail.put("stageIndex", rollout.stageIndex());
        detail.put("fromPercent", d.fromPercent());
        detail.put("percent", rollout.percent());
        detail.put("at", d.at().toString());
        detail.put("reason", d.reason());
        detail.set("observations", d.observations());
        String json = Json.write(detail);
        if (json.getBytes(StandardCharsets.UTF_8).length <= MAX_DETAIL_BYTES) {
            return json;
        }
        detail.remove("observations");
        detail.put("observationsOmitted", true);
        return Json.write(detail);
    }
}
