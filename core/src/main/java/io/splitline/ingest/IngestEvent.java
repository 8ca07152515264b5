package io.splitline.ingest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * One validated event of a batch.
 *
 * @param index     position in the batch (reported back for rejections)
 * @param eventId   client-chosen id; the same (unit, key, eventId), or (unit, eventId) for a keyless event, is
 *                  counted once, forever within retention
 * @param key       experiment or rollout key; null for a keyless metric event before it is fanned out
 * @param unitId    the unit (user) the event belongs to
 * @param type      exposure or metric
 * @param metric    metric key; null for exposures
 * @param value     the metric value (default 1), exact; zero for exposures
 * @param timestamp when it happened, as the client says
 * @param keyless   sent without a key: it counts in every active experiment and rollout stage where the unit
 *                  was exposed as of {@code timestamp}; each such copy ({@link #shareIn}) is its share there
 * @param covariates an exposure's explicit covariates for CUPED: metric → the unit's pre-exposure total
 *                   (zeros left out); empty otherwise
 * @param attributes an exposure's targeting attributes (name → value), where its unit's segment values come
 *                   from ({@link SegmentValues}); empty otherwise
 */
public record IngestEvent(int index, String eventId, String key, String unitId, EventType type, String metric,
                          BigDecimal value, Instant timestamp, boolean keyless, Map<String, BigDecimal> covariates,
                          Map<String, String> attributes) {
    public IngestEvent {
        covariates = Map.copyOf(covariates);
        attributes = Map.copyOf(attributes);
    }

    /** An event without attributes. */
    public IngestEvent(int index, String eventId, String key, String unitId, EventType type, String metric,
                       BigDecimal value, Instant timestamp, boolean keyless, Map<String, BigDecimal> covariates) {
        this(index, eventId, key, unitId, type, metric, value, timestamp, keyless, covariates, Map.of());
    }

    /**
     * This keyless event's share in one experiment or rollout: the same event under that key, which the
     * stream fold counts there.
     */
    public IngestEvent shareIn(String targetKey) {
        return new IngestEvent(index, eventId, targetKey, unitId, type, metric, value, timestamp, true, covariates, attributes);
    }
}
