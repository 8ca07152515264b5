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
 * <p><b>Each phase's writes are issued concurrently</b> ({@link ConcurrentWrites}: up to
 * {@value ConcurrentWrites#IN_FLIGHT} in flight; the histories, the slot claims, the units, the aggregate items),
 * and the phases stay one after another. That keeps exactly-once because no write of a phase depends on another
 * write of the same phase: each names one item and carries its own condition (a history's or unit's version, a
 * slot set's size, an aggregate item's marker for this shard), and what a phase's answers decide (reload the
 * refused units, re-read the refused items' markers) is decided only once every write of the phase has ended. A
 * crash in a phase leaves any subset of its writes applied, where one after another it left a prefix; a prefix is
 * a subset, and the retry never relied on the order: it reloads every unit (a written one replays its records from
 * what it stored), re-reads every marker, and a history, unit or item that was not reached is written then. Within
 * one aggregate item the steps stay one after another, since each moves the marker the next is conditioned on.
 *
 * <p>Once its units are written, the values the batch counted anew in rollout guardrail metrics go to the
 * {@link MetricSink} (EMF, which the rollout's CloudWatch checks read): a value is never emitted unless
 * counted, and a crash after the unit writes may drop, never repeat, a batch's values.
 */
public final class StreamAggregator {
    private static final Logger LOG = LoggerFactory.getLogger(StreamAggregator.class);
    private static final int MAX_ATTEMPTS = 20;
    /** The most writes of a phase in flight at once, and the default. */
    public static final int WRITES_IN_FLIGHT = ConcurrentWrites.IN_FLIGHT;

    private final StreamFoldStore store;
    private final UnitHistoryStore histories;
    private final IngestTargets targets;
    private final MetricSink metrics;
    private final Clock clock;
    private final ConcurrentWrites writes;

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
        this(store, histories, targets, metrics, clock, WRITES_IN_FLIGHT);
    }

    /**
     * As above, with at most {@code writesInFlight} writes of a phase in flight at once (1 to {@link #WRITES_IN_FLIGHT};
     * 1: one after another, as the benchmark's "before" runs it).
     */
    public StreamAggregator(StreamFoldStore store, UnitHistoryStore histories, IngestTargets targets, MetricSink metrics,
                            Clock clock, int writesInFlight) {
        this.store = store;
        this.histories = histories;
        this.targets = targets;
        this.metrics = metrics;
        this.clock = clock;
        this.writes = new ConcurrentWrites(writesInFlight);
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
            List<AggregateItem> refused = writes.refused(items,
                    item -> addSteps(result, item, streamShard, markers.get(item)));
            items = refused;
            if (!refused.isEmpty()) {
                LOG.debug("{} aggregate items moved under stream shard {}; re-reading", refused.size(), streamShard);
                Backoff.pause(attempt);
            }
        }
    }

    /**
     * One aggregate item's increments after {@code marker}, in steps one after another (each step's condition is the
     * marker the previous one moved).
     *
     * @return false when a step was refused (the item's marker moved meanwhile)
     */
    private boolean addSteps(StreamFold.Result result, AggregateItem item, String streamShard, BigInteger marker) {
        Optional<StreamFold.Step> step = result.stepAfter(item, marker, StreamFoldStore.MAX_BINS_PER_UPDATE);
        while (step.isPresent()) {
            if (!store.addIfMarker(item, streamShard, marker, step.get().through(), step.get().delta())) {
                return false;
            }
            marker = step.get().through();
            step = result.stepAfter(item, marker, StreamFoldStore.MAX_BINS_PER_UPDATE);
        }
        return true;
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
            List<Map.Entry<String, UnitHistory>> due = List.copyOf(covariates.writes().entrySet());
            if (writes.refused(due, write -> histories.write(write.getKey(), write.getValue())).isEmpty()) {
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
            List<StreamFold.UnitWrite> refused = writes.refused(result.units(), store::writeUnit);
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
        List<Map.Entry<SlotSet, String>> claims = new ArrayList<>();
        result.claims().forEach((set, values) -> values.forEach(value -> claims.add(Map.entry(set, value))));
        return writes.refused(claims, claim -> store.claimSlot(claim.getKey(), claim.getValue(), SegmentValues.SLOTS)).isEmpty();
    }
}
