package io.splitline.ingest;

import io.splitline.metrics.MetricDatum;
import io.splitline.metrics.MetricSink;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds batches of the events table's stream into units and aggregates, exactly once under the stream's
 * at-least-once delivery (a failed batch is retried whole or bisected; records of a stream shard arrive in
 * order, one batch in flight per shard: the mapping's {@code ParallelizationFactor} is 1). Three phases,
 * each safe to interrupt, after the batch's keyless events are added to their units' histories
 * ({@link DerivedCovariates}: the source of derived CUPED covariates):
 * <ol>
 *   <li><b>units</b>: {@link StreamFold} plans the batch on the stored units and slot sets; the slots the plan
 *       claims for new segment values are written first (one that filled up meanwhile makes the plan start again
 *       on the stored sets), then each unit on condition of the version read. A refused unit (written meanwhile, e.g. by {@code /assign}) is
 *       reloaded and the batch folded again — units already written replay their records from what they
 *       stored, so nothing moves twice;</li>
 *   <li><b>decided</b>: the shard's decided point moves to the batch's last record, so a retry keeps records
 *       that counted nowhere counting nowhere;</li>
 *   <li><b>aggregates</b>: each touched item's applied marker for the shard is read, and the item gets the
 *       increments of the batch's records after its marker, on condition that the marker has not moved (in
 *       several updates, each moving the marker to its last record, when the increments carry more sketch
 *       counters than one update may).</li>
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
    private final UnitHistoryStore histories;
    private final IngestTargets targets;
    private final MetricSink metrics;
    private final Clock clock;

    /** An aggregator whose exposures get their explicit covariates only, emitting no guardrail metrics (for tests of the fold alone). */
    public StreamAggregator(StreamFoldStore store, IngestTargets targets) {
        this(store, UnitHistoryStore.NONE, targets);
    }

    /** An aggregator that keeps units' keyless histories and derives covariates from them, emitting no guardrail metrics. */
    public StreamAggregator(StreamFoldStore store, UnitHistoryStore histories, IngestTargets targets) {
        this(store, histories, targets, datum -> { }, Clock.systemUTC());
    }

    /**
     * An aggregator that keeps units' keyless histories and derives covariates from them at first exposure, and
     * sends the guardrail values it counts to {@code metrics}.
     */
    public StreamAggregator(StreamFoldStore store, UnitHistoryStore histories, IngestTargets targets, MetricSink metrics,
                            Clock clock) {
        this.store = store;
        this.histories = histories;
        this.targets = targets;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Applies one batch of a stream shard's records, in stream order. */
    public void apply(String streamShard, List<StreamRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        StreamFold fold = StreamFold.of(streamShard, records, targets);
        BigInteger decided = store.decidedThrough(streamShard);
        DerivedCovariates covariates = writeHistories(records);
        StreamFold.Result result = writeUnits(fold, decided, covariates);
        emitGuardrails(result.guardrailValues());
        if (decided == null || decided.compareTo(fold.last()) < 0) {
            store.markDecided(streamShard, fold.last());
        }
        List<AggregateItem> items = new ArrayList<>(result.aggregateItems());
        for (int attempt = 1; !items.isEmpty(); attempt++) {
            if (attempt > MAX_ATTEMPTS) {
                throw new IllegalStateException("aggregate markers kept moving under stream shard " + streamShard);
            }
            Map<AggregateItem, BigInteger> markers = store.appliedMarkers(items, streamShard);
            List<AggregateItem> refused = new ArrayList<>();
            for (AggregateItem item : items) {
                BigInteger marker = markers.get(item);
                Optional<StreamFold.Step> step = result.stepAfter(item, marker, StreamFoldStore.MAX_BINS_PER_UPDATE);
                while (step.isPresent()) {
                    if (!store.addIfMarker(item, streamShard, marker, step.get().through(), step.get().delta())) {
                        refused.add(item);
                        break;
                    }
                    marker = step.get().through();
                    step = result.stepAfter(item, marker, StreamFoldStore.MAX_BINS_PER_UPDATE);
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

    /**
     * Phase 0: the batch's keyless events into their units' histories, each written on condition of the version
     * read (only this shard's batch writes a unit's history, so a refusal is a lost race with a retried
     * invocation; the histories are then reloaded).
     */
    private DerivedCovariates writeHistories(List<StreamRecord> records) {
        Map<String, CovariateLookback> lookbacks = targets.lookbacks();
        Set<String> unitIds = DerivedCovariates.units(records, lookbacks);
        for (int attempt = 1; ; attempt++) {
            DerivedCovariates covariates = DerivedCovariates.of(records, unitIds.isEmpty() ? Map.of() : histories.load(unitIds), lookbacks);
            boolean refused = false;
            for (Map.Entry<String, UnitHistory> write : covariates.writes().entrySet()) {
                refused |= !histories.write(write.getKey(), write.getValue());
            }
            if (!refused) {
                return covariates;
            }
            if (attempt >= MAX_ATTEMPTS) {
                throw new IllegalStateException("unit histories kept changing under the stream fold");
            }
        }
    }

    private StreamFold.Result writeUnits(StreamFold fold, BigInteger decided, DerivedCovariates covariates) {
        Map<UnitRef, StreamUnit> stored = store.loadUnits(fold.units());
        Map<SlotSet, Set<String>> slots = store.loadSlots(fold.slotSets());
        for (int attempt = 1; ; attempt++) {
            StreamFold.Result result = fold.apply(stored, decided, slots, covariates::of);
            if (!claimSlots(result)) {
                // a slot set filled up meanwhile: plan again on what it holds now (those values become "other")
                if (attempt >= MAX_ATTEMPTS) {
                    throw new IllegalStateException("slot sets kept filling under the stream fold");
                }
                slots = store.loadSlots(fold.slotSets());
                continue;
            }
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
            slots = store.loadSlots(fold.slotSets());
        }
    }

    /** Writes the slots the plan claimed, before any unit holding them; false if a set had filled up. */
    private boolean claimSlots(StreamFold.Result result) {
        boolean all = true;
        for (Map.Entry<SlotSet, Set<String>> claim : result.claims().entrySet()) {
            for (String value : claim.getValue()) {
                all &= store.claimSlot(claim.getKey(), value, SegmentValues.SLOTS);
            }
        }
        return all;
    }
}
