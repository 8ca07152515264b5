package io.splitline.ingest;

import io.splitline.aggregate.AggregateTable;
import io.splitline.aggregate.Shards;
import io.splitline.metrics.MetricDatum;
import io.splitline.metrics.MetricSink;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Design A of {@code docs/ingest-v2.md}, the per-event transactional ingest that {@code POST /events} ran before
 * the stream fold, kept in the benchmarks as the baseline of BENCHMARKS.md's "before" figures
 * ({@code IngestCostBench}, {@code CostInputs}, the harness's ingest scenario); no product path uses it. It
 * records a batch of events exactly once into unit-level aggregates.
 *
 * <p>Events are grouped by unit. For each unit, the stored exposure and totals are read (one
 * BatchGetItem per 100 units); the batch's effect is planned in memory (exposures first, so a metric
 * that arrives in the same batch as its unit's exposure counts); then raw events, unit items and merged
 * aggregate increments are committed together in transactions of at most 100 items. Every raw event is
 * written on condition that it does not exist, and every unit item on condition that its version is the
 * one the plan read, so:
 * <ul>
 *   <li>an event whose id was seen before — earlier in the batch, in an earlier or concurrent batch, or in
 *       a commit that succeeded before a crash — fails its condition and is never counted twice; it is
 *       answered a duplicate only once a consistent read finds it stored (a failed condition alone proves
 *       nothing under every isolation), else it is planned again;</li>
 *   <li>two ingests of one unit cannot both apply an increment computed from the same old total
 *       (Σx² grows by (a+v)² − a² = 2av + v², which needs the right a);</li>
 *   <li>a crash between commits loses nothing: committed events are duplicates when the client re-sends
 *       the batch, the rest are applied then.</li>
 * </ul>
 * A cancelled commit is re-planned from fresh reads; nothing of it was written. After
 * {@value #MAX_COMMIT_ATTEMPTS} cancelled commits the batch is given up with an
 * {@link IngestContentionException} (503): what committed stands, the rest left no trace.
 */
public final class IngestService {
    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
    /**
     * Room kept per event when filling a transaction: its put, its unit and two aggregate items (plus, for
     * an exposure with covariates, one metric item per covariate).
     */
    private static final int ITEMS_PER_EVENT = 4;
    private static final int MAX_COMMIT_ATTEMPTS = 50;

    private final IngestStore store;
    private final IngestTargets targets;
    private final MetricSink metrics;
    private final Clock clock;

    public IngestService(IngestStore store, IngestTargets targets, MetricSink metrics, Clock clock) {
        this.store = store;
        this.targets = targets;
        this.metrics = metrics;
        this.clock = clock;
    }

    public IngestResult ingest(EventBatch batch) {
        Instant now = clock.instant();
        Tally tally = new Tally(new ArrayList<>(batch.rejections()));
        Map<String, Optional<IngestTarget>> resolved = new HashMap<>();
        Set<String> seenInBatch = new HashSet<>();
        Map<UnitRef, UnitGroup> groups = new LinkedHashMap<>();
        List<IngestTarget> active = null;
        for (IngestEvent e : batch.events()) {
            if (e.keyless()) {
                active = active == null ? targets.active() : active;
                fanOut(e, active, seenInBatch, groups, tally);
                continue;
            }
            Optional<IngestTarget> target = resolved.computeIfAbsent(e.key(), targets::find);
            if (target.isEmpty()) {
                tally.rejected.add(new Rejection(e.index(), RejectionCodes.NOT_FOUND,
                        "no experiment or rollout '" + e.key() + "'", "events[" + e.index() + "].key"));
            } else if (!seenInBatch.add(WriteSet.idempotencyKey(e))) {
                tally.duplicates++;
            } else if (!target.get().active()) {
                tally.ignored++;
            } else {
                UnitRef ref = new UnitRef(e.key(), target.get().scope(), e.unitId());
                groups.computeIfAbsent(ref, r -> new UnitGroup(r, target.get())).add(e);
            }
        }
        if (!groups.isEmpty()) {
            commitAll(groups, now, tally);
        }
        tally.settleKeyless();
        return new IngestResult(tally.accepted, tally.duplicates, tally.ignored, tally.rejected);
    }

    /**
     * Splits a keyless event into its shares, one per active target, grouped with the unit's other events
     * there. A share counts only where the unit was exposed as of the event's timestamp (decided when
     * planned, against the unit's stored or planned exposure). A repeat of the event in the same batch takes
     * the first copy's outcome as a duplicate.
     */
    private static void fanOut(IngestEvent e, List<IngestTarget> active, Set<String> seenInBatch,
                               Map<UnitRef, UnitGroup> groups, Tally tally) {
        Integer first = tally.firstCopy.putIfAbsent(e.unitId() + "\u0000" + e.eventId(), e.index());
        if (first != null) {
            tally.copyOf.put(e.index(), first);
            return;
        }
        tally.keyless.put(e.index(), ShareOutcome.NONE);
        for (IngestTarget target : active) {
            IngestEvent share = e.shareIn(target.key());
            if (seenInBatch.add(WriteSet.idempotencyKey(share))) { // else the same id sent with this key decides there
                UnitRef ref = new UnitRef(target.key(), target.scope(), e.unitId());
                groups.computeIfAbsent(ref, r -> new UnitGroup(r, target)).add(share);
            }
        }
    }

    private void commitAll(Map<UnitRef, UnitGroup> groups, Instant now, Tally tally) {
        Map<UnitRef, UnitState> states = new HashMap<>(store.loadUnits(groups.keySet()));
        Set<String> duplicates = new HashSet<>();
        boolean duplicatesLookedUp = false;
        Deque<UnitGroup> pending = new ArrayDeque<>(groups.values());
        int attempts = 0;
        while (!pending.isEmpty()) {
            Plan plan = plan(pending, states, duplicates, now);
            try {
                if (!plan.writes.isEmpty()) {
                    store.commit(plan.writes, now);
                }
            } catch (CommitConflictException conflict) {
                if (++attempts > MAX_COMMIT_ATTEMPTS) {
                    LOG.warn("gave up after {} cancelled commits; {} events of the batch were recorded", attempts - 1, tally.recorded());
                    throw new IngestContentionException(tally.recorded(), conflict);
                }
                int knownDuplicates = duplicates.size();
                if (!conflict.duplicateEvents().isEmpty()) {
                    // A failed "does not exist" is a hint, not a proof: an event is a duplicate only once a
                    // consistent read finds it stored. On the first hint every pending event is looked up at
                    // once (a re-sent batch), later only the named ones.
                    Collection<String> suspects = duplicatesLookedUp ? conflict.duplicateEvents() : pendingEventKeys(pending);
                    duplicates.addAll(store.existingEvents(suspects));
                    duplicatesLookedUp = true;
                }
                boolean unitsChanged = false;
                if (!conflict.staleUnits().isEmpty()) {
                    Map<UnitRef, UnitState> fresh = store.loadUnits(conflict.staleUnits());
                    for (UnitRef ref : conflict.staleUnits()) {
                        unitsChanged |= !Objects.equals(states.get(ref), fresh.get(ref));
                    }
                    conflict.staleUnits().forEach(states::remove);
                    states.putAll(fresh);
                }
                if (duplicates.size() == knownDuplicates && !unitsChanged) {
                    // Nothing learnt: a conflict with a transaction in flight (which, under an isolation that
                    // lets conditions see uncommitted puts, can name a unit that is not stale at all), or
                    // throttling. Retrying at once would meet the same transaction again, in lockstep.
                    Backoff.pause(attempts);
                }
                LOG.debug("commit retried ({}): {}", attempts, conflict.getMessage());
                continue;
            }
            plan.apply(states, pending, tally);
            emitGuardrails(plan, now);
        }
    }

    private static List<String> pendingEventKeys(Deque<UnitGroup> pending) {
        List<String> keys = new ArrayList<>();
        pending.forEach(g -> g.events.forEach(e -> keys.add(WriteSet.idempotencyKey(e))));
        return keys;
    }

    /** Fills one transaction from the front of the queue; a unit's events may span several. */
    private static Plan plan(Deque<UnitGroup> pending, Map<UnitRef, UnitState> states, Set<String> duplicates, Instant now) {
        Plan plan = new Plan();
        for (UnitGroup group : pending) {
            if (plan.writes.size() + ITEMS_PER_EVENT > WriteSet.MAX_ITEMS) {
                break;
            }
            UnitState stored = states.get(group.ref);
            UnitState state = stored;
            boolean created = false;
            int taken = 0;
            for (IngestEvent e : group.events) {
                if (plan.writes.size() + ITEMS_PER_EVENT + e.covariates().size() > WriteSet.MAX_ITEMS
                        || binsFull(plan.writes, group, state, e)) {
                    break;
                }
                taken++;
                if (duplicates.contains(WriteSet.idempotencyKey(e))) {
                    plan.count(e, ShareOutcome.DUPLICATE);
                    continue;
                }
                if (e.keyless() && (state == null || Instant.parse(state.exposedAt()).isAfter(e.timestamp()))) {
                    plan.count(e, ShareOutcome.NONE); // not exposed here as of the event: the share counts nowhere
                    continue;
                }
                if (e.type() == EventType.EXPOSURE) {
                    if (state == null) {
                        Optional<String> arm = group.target.armOf().apply(e.unitId());
                        if (arm.isEmpty()) {
                            plan.ignored++;
                            continue;
                        }
                        // exposed as of the exposure's own time, which keyless events are compared with
                        state = new UnitState(arm.get(), e.timestamp().toString(), 1, Map.of(), e.covariates());
                        created = true;
                        UnitEffects.firstExposure(aggregatePk(group), state, plan.writes::addAggregate);
                    }
                } else if (state == null) {
                    plan.ignored++;
                    continue;
                } else {
                    state = UnitEffects.metric(aggregatePk(group), group.target, state, e, plan.writes::addAggregate);
                    if (group.target.guardrailMetrics().contains(e.metric())) {
                        plan.guardrailValues.computeIfAbsent(new GuardrailSeries(group.ref.key(), state.variant(), e.metric()),
                                k -> new ArrayList<>()).add(e.value().doubleValue());
                    }
                }
                plan.writes.events.add(new WriteSet.EventWrite(e, state.variant(), group.ref.scope()));
                plan.count(e, ShareOutcome.ACCEPTED);
            }
            if (state != null && state != stored) {
                long expected = created ? 0 : stored.version();
                UnitState next = created ? state : state.withVersion(stored.version() + 1);
                plan.writes.units.put(group.ref, new WriteSet.UnitWrite(group.ref, next, expected));
                plan.newStates.put(group.ref, next);
            }
            plan.taken.put(group, taken);
            if (taken < group.events.size()) {
                break; // the rest of this unit goes in the next transaction, after this one's state
            }
        }
        return plan;
    }

    /** Transactional ingest keeps a unit's aggregates in the unit's shard. */
    private static String aggregatePk(UnitGroup group) {
        return AggregateTable.pk(group.ref.key(), group.ref.scope(), Shards.of(group.ref.unitId(), group.target.aggregateShards()));
    }

    /** Whether the event's sketch counters would take its metric item's update past its bound. */
    private static boolean binsFull(WriteSet writes, UnitGroup group, UnitState state, IngestEvent e) {
        return state != null && e.type() == EventType.METRIC && SketchIncrements.sketched(group.target, e.metric())
                && writes.bins(UnitEffects.metricItem(aggregatePk(group), state.variant(), e.metric()))
                + SketchIncrements.MAX_PER_EVENT > StreamFoldStore.MAX_BINS_PER_UPDATE;
    }

    private void emitGuardrails(Plan plan, Instant now) {
        plan.guardrailValues.forEach((series, values) -> {
            for (int from = 0; from < values.size(); from += MetricDatum.MAX_VALUES) {
                metrics.emit(new MetricDatum(MetricDatum.SPLITLINE_NAMESPACE,
                        Map.of("Experiment", series.key(), "Variant", series.variant()), series.metric(),
                        values.subList(from, Math.min(values.size(), from + MetricDatum.MAX_VALUES)), now));
            }
        });
    }

    private record GuardrailSeries(String key, String variant, String metric) {
    }

    /** Events of one unit in one experiment (or rollout stage), exposures first. */
    private static final class UnitGroup {
        final UnitRef ref;
        final IngestTarget target;
        final List<IngestEvent> events = new ArrayList<>();
        private int exposures;

        UnitGroup(UnitRef ref, IngestTarget target) {
            this.ref = ref;
            this.target = target;
        }

        void add(IngestEvent e) {
            if (e.type() == EventType.EXPOSURE) {
                events.add(exposures++, e);
            } else {
                events.add(e);
            }
        }
    }

    /** One transaction's writes and what they mean for the batch's outcome once committed. */
    private static final class Plan {
        final WriteSet writes = new WriteSet();
        final Map<UnitGroup, Integer> taken = new LinkedHashMap<>();
        final Map<UnitRef, UnitState> newStates = new HashMap<>();
        final Map<GuardrailSeries, List<Double>> guardrailValues = new LinkedHashMap<>();
        /** Outcome of the keyless events' shares, by batch index (the best share so far). */
        final Map<Integer, ShareOutcome> shares = new HashMap<>();
        int accepted;
        int duplicates;
        int ignored;

        void count(IngestEvent e, ShareOutcome outcome) {
            if (e.keyless()) {
                shares.merge(e.index(), outcome, ShareOutcome::max);
            } else if (outcome == ShareOutcome.ACCEPTED) {
                accepted++;
            } else if (outcome == ShareOutcome.DUPLICATE) {
                duplicates++;
            } else {
                ignored++;
            }
        }

        void apply(Map<UnitRef, UnitState> states, Deque<UnitGroup> pending, Tally tally) {
            states.putAll(newStates);
            taken.forEach((group, count) -> {
                group.events.subList(0, count).clear();
                if (group.events.isEmpty()) {
                    pending.remove(group);
                }
            });
            tally.accepted += accepted;
            tally.duplicates += duplicates;
            tally.ignored += ignored;
            shares.forEach((index, outcome) -> tally.keyless.merge(index, outcome, ShareOutcome::max));
        }
    }

    /**
     * What a keyless event's shares came to, from least to most: counted nowhere, already recorded,
     * recorded now. The event's answer is the most of its shares': {@code accepted} if any share was
     * recorded now, else {@code duplicates} if any was already recorded, else {@code ignored}.
     */
    private enum ShareOutcome {
        NONE, DUPLICATE, ACCEPTED;

        static ShareOutcome max(ShareOutcome a, ShareOutcome b) {
            return a.compareTo(b) >= 0 ? a : b;
        }
    }

    private static final class Tally {
        final List<Rejection> rejected;
        /** Keyless events by batch index → the best outcome of their shares so far. */
        final Map<Integer, ShareOutcome> keyless = new HashMap<>();
        /** Repeats of a keyless event within the batch → the index of its first copy. */
        final Map<Integer, Integer> copyOf = new HashMap<>();
        final Map<String, Integer> firstCopy = new HashMap<>();
        int accepted;
        int duplicates;
        int ignored;

        Tally(List<Rejection> rejected) {
            this.rejected = rejected;
        }

        /** Events recorded so far: keyed ones accepted, keyless ones with a share accepted. */
        int recorded() {
            return accepted + (int) keyless.values().stream().filter(o -> o == ShareOutcome.ACCEPTED).count();
        }

        /** Turns the keyless events' share outcomes (and their in-batch repeats) into the batch's answer. */
        void settleKeyless() {
            keyless.values().forEach(o -> {
                switch (o) {
                    case ACCEPTED -> accepted++;
                    case DUPLICATE -> duplicates++;
                    case NONE -> ignored++;
                }
            });
            copyOf.values().forEach(first -> {
                if (keyless.get(first) == ShareOutcome.NONE) {
                    ignored++;
                } else {
                    duplicates++;
                }
            });
        }
    }
}
