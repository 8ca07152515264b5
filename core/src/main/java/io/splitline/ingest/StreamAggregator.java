package io.splitline.ingest;

import io.splitline.metrics.MetricDatum;
import io.splitline.metrics.MetricSink;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds batches of the events table's stream into units and aggregates, exactly once under the stream's
 * at-least-once delivery (a failed batch is retried whole or bisected; records of a stream shard arrive in
 * order, one batch in flight per shard: the mapping's {@code ParallelizationFactor} is 1). Three phases,
 * each safe to interrupt:
 * <ol>
 *   <li><b>units</b>: {@link StreamFold} plans the batch on the stored units; each unit is written on
 *       condition of the version read. A refused unit (written meanwhile, e.g. by {@code /assign}) is
 *       reloaded and the batch folded again — units already written replay their records from what they
 *       stored, so nothing moves twice;</li>
 *   <li><b>decided</b>: the shard's decided point moves to the batch's last record, so a retry keeps records
 *       that counted nowhere counting nowhere;</li>
 *   <li><b>aggregates</b>: each touched item's applied marker for the shard is read, and the item gets the
 *       increments of the batch's records after its marker, on condition that the marker has not moved (in
 *       steps of a bounded number of sketch counters, each moving the marker to its last record).</li>
 * </ol>
 * A crash anywhere leaves a state from which the retried batch writes exactly what is missing.
 *
 * <p>Once its units are written, the values the batch counted anew in rollout guardrail metrics go to the
 * {@link MetricSink} (EMF, which the rollout's CloudWatch checks read): a value is never emitted unless
 * counted, and a crash after the unit writes may drop, never repeat, a batch's values.
 */
public final class StreamAggregator {
    private static final Logger LOG = LoggerFactory.getLogger(StreamAggregator.class);
    private static final int MAX_ATTEMPTS = 20;

    private final StreamFoldStore store;
    private final IngestTargets targets;
    private final MetricSink metrics;
    private final Clock clock;

    public StreamAggregator(StreamFoldStore store, IngestTargets targets, MetricSink metrics, Clock clock) {
        this.store = store;
        this.targets = targets;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** An aggregator that emits no guardrail metrics (for tests of the fold alone). */
    public StreamAggregator(StreamFoldStore store, IngestTargets targets) {
        this(store, targets, datum -> { }, Clock.systemUTC());
    }

    /** Applies one batch of a stream shard's records, in stream order. */
    public void apply(String streamShard, List<StreamRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        StreamFold fold = StreamFold.of(streamShard, records, targets);
        BigInteger decided = store.decidedThrough(streamShard);
        StreamFold.Result result = writeUnits(fold, decided);
        emitGuardrails(result.guardrailValues());
        if (decided == null || decided.compareTo(fold.last()) < 0) {
            store.markDecided(streamShard, fold.last());
        }
        List<WriteSet.AggregateItem> items = new ArrayList<>(result.aggregateItems());
        for (int attempt = 1; !items.isEmpty(); attempt++) {
            if (attempt > MAX_ATTEMPTS) {
                throw new IllegalStateException("aggregate markers kept moving under stream shard " + streamShard);
            }
            Map<WriteSet.AggregateItem, BigInteger> markers = store.appliedMarkers(items, streamShard);
            List<WriteSet.AggregateItem> refused = new ArrayList<>();
            for (WriteSet.AggregateItem item : items) {
                BigInteger marker = markers.get(item);
                for (StreamFold.Step step : result.stepsAfter(item, marker)) {
                    if (!store.addIfMarker(item, streamShard, marker, step.through(), step.delta())) {
                        refused.add(item);
                        break;
                    }
                    marker = step.through();
                }
            }
            items = refused;
            if (!refused.isEmpty()) {
                LOG.debug("{} aggregate items moved under stream shard {}; re-reading", refused.size(), streamShard);
                Backoff.pause(attempt);
            }
        }
    }

    private void emitGuardrails(List<StreamFold.GuardrailValue> values) {
        Map<List<String>, List<Double>> series = new LinkedHashMap<>();
        values.forEach(v -> series.computeIfAbsent(List.of(v.key(), v.variant(), v.metric()), k -> new ArrayList<>())
                .add(v.value().doubleValue()));
        series.forEach((s, vs) -> {
            for (int from = 0; from < vs.size(); from += MetricDatum.MAX_VALUES) {
                metrics.emit(new MetricDatum(MetricDatum.SPLITLINE_NAMESPACE, Map.of("Experiment", s.get(0), "Variant", s.get(1)),
                        s.get(2), vs.subList(from, Math.min(vs.size(), from + MetricDatum.MAX_VALUES)), clock.instant()));
            }
        });
    }

    private StreamFold.Result writeUnits(StreamFold fold, BigInteger decided) {
        Map<UnitRef, StreamUnit> stored = store.loadUnits(fold.units());
        for (int attempt = 1; ; attempt++) {
            StreamFold.Result result = fold.apply(stored, decided);
            List<UnitRef> refused = new ArrayList<>();
            for (StreamFold.UnitWrite write : result.units()) {
                if (!store.writeUnit(write)) {
                    refused.add(write.ref());
                }
            }
            if (refused.isEmpty()) {
                return result;
            }
            if (attempt >= MAX_ATTEMPTS) {
                throw new IllegalStateException(refused.size() + " units kept changing under the stream fold");
            }
            stored = store.loadUnits(fold.units());
        }
    }
}
