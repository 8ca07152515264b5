package io.splitline.sdk;

import io.splitline.definitions.DefinitionCache;
import io.splitline.json.Json;
import io.splitline.metrics.MetricDatum;
import io.splitline.metrics.MetricSink;
import io.splitline.store.DefinitionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the SDK payload of what the store holds now, after a change to the definitions.
 *
 * <p>It re-reads the store instead of using the changed definition: two changes in flight together each
 * publish the whole payload as read after their own write. One whose read came before the other's write
 * can still publish last with the older state, and a publication can fail (logged and counted,
 * {@value #FAILURE_METRIC}, never failing the change that caused it): either way the next change, or the
 * rollout step's next run, publishes the current payload again.
 */
public final class PayloadPublication {
    private static final Logger LOG = LoggerFactory.getLogger(PayloadPublication.class);
    /** The metric counting publications that failed (namespace {@value MetricDatum#SPLITLINE_NAMESPACE}). */
    public static final String FAILURE_METRIC = "PayloadPublishFailures";

    private final DefinitionStore store;
    private final PayloadPublisher publisher;
    private final MetricSink metrics;
    private final Clock clock;

    public PayloadPublication(DefinitionStore store, PayloadPublisher publisher, MetricSink metrics, Clock clock) {
        this.store = store;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Whether anything is published at all (a publisher was configured). */
    public boolean enabled() {
        return publisher != PayloadPublisher.OFF;
    }

    /** Publishes the payload of the store's current definitions; returns whether that succeeded. */
    public boolean publishCurrent() {
        if (!enabled()) {
            return true;
        }
        try {
            // A cache with no TTL reads the store on every call: this is the state after the change.
            SdkPayload payload = SdkPayload.of(new DefinitionCache(store, Duration.ZERO, clock).current());
            publisher.publish(Json.write(payload.body()), payload.etag());
            LOG.info("published the SDK payload {}", payload.etag());
            return true;
        } catch (RuntimeException e) {
            LOG.warn("publishing the SDK payload failed; the change itself is stored", e);
            metrics.emit(new MetricDatum(MetricDatum.SPLITLINE_NAMESPACE, Map.of(), FAILURE_METRIC, List.of(1.0),
                    clock.instant()));
            return false;
        }
    }
}
