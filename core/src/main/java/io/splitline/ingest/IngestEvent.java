package io.splitline.ingest;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One validated event of a batch.
 *
 * @param index     position in the batch (reported back for rejections)
 * @param eventId   client-chosen id; the same (key, eventId) is counted once, forever within retention
 * @param key       experiment or rollout key
 * @param unitId    the unit (user) the event belongs to
 * @param type      exposure or metric
 * @param metric    metric key; null for exposures
 * @param value     the metric value (default 1), exact; zero for exposures
 * @param timestamp when it happened, as the client says
 */
public record IngestEvent(int index, String eventId, String key, String unitId, EventType type, String metric,
                          BigDecimal value, Instant timestamp) {

    /** Identity of the event for idempotency: ids are scoped by experiment/rollout key. */
    public String idempotencyKey() {
        return key + "#" + eventId;
    }
}
