package io.splitline.ingest;

import io.splitline.aggregate.AggregateTable;
import io.splitline.aggregate.SegmentTable;
import io.splitline.aggregate.Shards;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * The pure fold of one stream batch (design B of {@code docs/ingest-v2.md}): given the stored events of one
 * stream shard in stream order and the current state of their units, the unit writes and the aggregate
 * increments they make, each increment tagged with the sequence number of the record it comes from.
 *
 * <p>Per unit (a unit within one experiment or rollout stage; a keyless event is split into its shares in
 * every active target, and in every target that stopped lately, which only replays:
 * {@link IngestTargets#keylessFanOut()}), the batch's records fall in three kinds:
 * <ul>
 *   <li><b>already in the unit</b> (sequence ≤ the unit's {@link StreamUnit#sequence()}): an earlier attempt
 *       at this batch wrote the unit, maybe not the aggregates. Their increments are recomputed from what the
 *       unit stored (the state before each record, {@link StreamUnit#statesBefore()}, and {@link StreamUnit#exposedBy()}),
 *       so they are the same increments the first attempt computed, and the unit is not moved again;</li>
 *   <li><b>decided by an earlier attempt to count nowhere</b> (sequence ≤ the shard's {@code decidedThrough}, the
 *       point up to which an attempt finished all its unit writes, yet above the unit's sequence): they stay
 *       counted nowhere, even if the unit was exposed since — their records may already lie below aggregate
 *       markers;</li>
 *   <li><b>new</b>: decided now — exposures first (a metric sent with its
 *       unit's exposure counts), a metric only for an exposed unit, a keyless share only if the unit was
 *       exposed as of its timestamp, nothing for an inactive target (nor is its unit written).</li>
 * </ul>
 * A unit with new records is written once, conditional on the version read, with the sequence of its last
 * record and the "before" totals of every record of the batch that moved it. The increments go to the
 * aggregate partition of the stream shard ({@link Shards#of(String, int)} of the shard id among the target's
 * {@link IngestTarget#aggregateShards()}), not of the unit: sums are additive and readers sum every shard, and one
 * batch then touches one aggregate partition per target.
 *
 * <p>A target with segment dimensions gives a unit its segment values at its first exposure ({@link SegmentValues},
 * from the slot sets read before the fold; the values it claims are in {@link Result#claims()}), stores them on the
 * unit, and every increment of the unit also goes to its segment items, replayed from the stored values like the rest.
 */
public final class StreamFold {
    /** One conditional update of an aggregate item: an increment, and the record its applied marker moves to. */
    record Step(AggregateDelta delta, BigInteger through) {
    }

    /** A unit item to write, on condition that its stored version is {@code expectedVersion} (0: not there). */
    public record UnitWrite(UnitRef ref, StreamUnit unit, long expectedVersion) {
    }

    /** A metric value this fold counted for the first time in a rollout guardrail's metric (for CloudWatch). */
    public record GuardrailValue(String key, String variant, String metric, BigDecimal value) {
    }

    private record Share(BigInteger sequence, IngestEvent event) {
    }

    private record Group(IngestTarget target, List<Share> shares) {
    }

    private final String streamShard;
    private final Map<UnitRef, Group> groups;
    private final BigInteger last;

    private StreamFold(String streamShard, Map<UnitRef, Group> groups, BigInteger last) {
        this.streamShard = streamShard;
        this.groups = groups;
        this.last = last;
    }

    /** Splits a stream batch (non-empty, in stream order) into units; targets are looked up once each. */
    public static StreamFold of(String streamShard, List<StreamRecord> records, IngestTargets targets) {
        Map<String, Optional<IngestTarget>> resolved = new HashMap<>();
        List<IngestTarget> active = null;
        Map<UnitRef, Group> groups = new LinkedHashMap<>();
        for (StreamRecord r : records) {
            IngestEvent e = r.event();
            if (e.keyless()) {
                active = active == null ? targets.keylessFanOut() : active;
                for (IngestTarget target : active) {
                    add(groups, target, new Share(r.sequence(), e.shareIn(target.key())));
                }
            } else {
                resolved.computeIfAbsent(e.key(), targets::find)
                        .ifPresent(target -> add(groups, target, new Share(r.sequence(), e)));
            }
        }
        return new StreamFold(streamShard, groups, records.get(records.size() - 1).sequence());
    }

    private static void add(Map<UnitRef, Group> groups, IngestTarget target, Share share) {
        UnitRef ref = new UnitRef(target.key(), target.scope(), share.event().unitId());
        groups.computeIfAbsent(ref, r -> new Group(target, new ArrayList<>())).shares().add(share);
    }

    /** The units this batch concerns: load these before {@link #apply}. */
    public Set<UnitRef> units() {
        return groups.keySet();
    }

    /** The slot sets this batch's first exposures may need: load these before {@link #apply}. */
    public Set<SlotSet> slotSets() {
        List<IngestTarget> targets = new ArrayList<>();
        groups.values().stream().filter(g -> g.target().active()).forEach(g -> targets.add(g.target())); // only they expose
        return SegmentValues.slotSets(targets);
    }

    /** The sequence number of the batch's last record. */
    public BigInteger last() {
        return last;
    }

    /**
     * Folds the batch onto the stored units.
     *
     * @param stored          the units' stored items (absent: no item)
     * @param decidedThrough  the stream shard's decided point (null: nothing decided yet)
     * @param slots           the stored slot sets of {@link #slotSets()} (absent: no value slotted yet)
     */
    public Result apply(Map<UnitRef, StreamUnit> stored, BigInteger decidedThrough, Map<SlotSet, Set<String>> slots) {
        return apply(stored, decidedThrough, slots, (target, exposure) -> exposure.covariates());
    }

    /** The same, a first exposure's covariates given by {@code covariates} (explicit and derived, {@link DerivedCovariates}). */
    Result apply(Map<UnitRef, StreamUnit> stored, BigInteger decidedThrough, Map<SlotSet, Set<String>> slots,
                 BiFunction<IngestTarget, IngestEvent, Map<String, BigDecimal>> covariates) {
        Result result = new Result(last);
        SegmentValues values = new SegmentValues(slots);
        groups.forEach((ref, group) -> fold(ref, group, stored.get(ref), decidedThrough, values, covariates, result));
        result.claims.putAll(values.claims());
        return result;
    }

    private void fold(UnitRef ref, Group group, StreamUnit stored, BigInteger decidedThrough, SegmentValues values,
                      BiFunction<IngestTarget, IngestEvent, Map<String, BigDecimal>> covariates, Result result) {
        int aggregateShard = Shards.of(streamShard, group.target().aggregateShards());
        String pk = AggregateTable.pk(ref.key(), ref.scope(), aggregateShard);
        String segmentPk = SegmentTable.pk(ref.key(), ref.scope(), aggregateShard);
        Map<String, String> segments = stored == null ? Map.of() : stored.segments();
        BigInteger folded = stored == null || stored.sequence() == null ? BigInteger.ONE.negate() : stored.sequence();
        BigInteger decided = decidedThrough == null ? BigInteger.ONE.negate() : decidedThrough;
        Map<BigInteger, StreamUnit.Before> before = new HashMap<>();
        Map<BigInteger, UnitState> replayed = stored == null ? Map.of() : stored.statesBefore();
        List<Share> fresh = new ArrayList<>();
        for (Share s : group.shares()) {
            IngestEvent e = s.event();
            if (s.sequence().compareTo(folded) <= 0) {
                if (e.type() == EventType.EXPOSURE) {
                    if (s.sequence().equals(stored.exposedBy())) {
                        UnitEffects.firstExposure(pk, stored.state(), result.contribution(s.sequence(), segmentPk, segments));
                    }
                } else {
                    UnitState as = replayed.get(s.sequence());
                    if (as != null) { // the state the first attempt saw: every total as of this record
                        UnitEffects.metric(pk, group.target(), as, e, result.contribution(s.sequence(), segmentPk, segments));
                        before.put(s.sequence(), stored.before().get(s.sequence()));
                    }
                }
            } else if (s.sequence().compareTo(decided) > 0) {
                fresh.add(s);
            }
        }
        if (fresh.isEmpty() || !group.target().active()) {
            return; // an inactive target only replays: its new records count nowhere, its units stay as they are
        }
        fresh.sort(Comparator.comparing((Share s) -> s.event().type() != EventType.EXPOSURE)); // stable: exposures first
        UnitState state = stored == null ? null : stored.state();
        BigInteger exposedBy = stored == null ? null : stored.exposedBy();
        BigInteger newest = folded;
        for (Share s : fresh) {
            IngestEvent e = s.event();
            newest = newest.max(s.sequence());
            if (e.type() == EventType.EXPOSURE) {
                Optional<String> arm = state == null ? group.target().armOf().apply(e.unitId()) : Optional.empty();
                if (arm.isPresent()) {
                    // exposed as of the exposure's own time, which keyless events are compared with
                    state = new UnitState(arm.get(), e.timestamp().toString(), 0, Map.of(), covariates.apply(group.target(), e));
                    exposedBy = s.sequence();
                    segments = values.of(group.target(), e.attributes());
                    UnitEffects.firstExposure(pk, state, result.contribution(s.sequence(), segmentPk, segments));
                }
            } else if (state != null && !(e.keyless() && Instant.parse(state.exposedAt()).isAfter(e.timestamp()))) {
                before.put(s.sequence(), new StreamUnit.Before(e.metric(), state.total(e.metric())));
                state = UnitEffects.metric(pk, group.target(), state, e, result.contribution(s.sequence(), segmentPk, segments));
                if (group.target().guardrailMetrics().contains(e.metric())) {
                    result.guardrailValues.add(new GuardrailValue(ref.key(), state.variant(), e.metric(), e.value()));
                }
            }
        }
        if (state != null) {
            long expected = stored == null ? 0 : stored.state().version();
            result.units.add(new UnitWrite(ref, new StreamUnit(state.withVersion(expected + 1), newest, exposedBy, before, segments),
                    expected));
        }
    }

    /** What a batch does: unit writes, then aggregate increments by item and by the record they come from. */
    public static final class Result {
        private final BigInteger last;
        private final List<UnitWrite> units = new ArrayList<>();
        private final Map<SlotSet, Set<String>> claims = new LinkedHashMap<>();
        private final List<GuardrailValue> guardrailValues = new ArrayList<>();
        private final Map<AggregateItem, NavigableMap<BigInteger, AggregateDelta>> contributions = new LinkedHashMap<>();

        private Result(BigInteger last) {
            this.last = last;
        }

        /** Where a record's increments go: its variant items and, for a unit with segment values, its segment items. */
        private BiConsumer<AggregateItem, AggregateDelta> contribution(BigInteger sequence, String segmentPk,
                                                                              Map<String, String> segments) {
            return SegmentValues.alsoInSegments(segmentPk, segments, (item, delta) ->
                    contributions.computeIfAbsent(item, k -> new TreeMap<>()).merge(sequence, delta, AggregateDelta::plus));
        }

        /** Slot values the fold claimed, by slot set: to be written before the units that hold them. */
        public Map<SlotSet, Set<String>> claims() {
            return claims;
        }

        /** The batch's last sequence number: the marker every touched aggregate item moves to. */
        public BigInteger last() {
            return last;
        }

        /** Units to write, each before any aggregate increment is applied. */
        public List<UnitWrite> units() {
            return units;
        }

        /**
         * Guardrail metric values of the records this fold counted anew (not those replayed from a unit an
         * earlier attempt wrote): never a value that is not counted, at most once per successful unit write.
         */
        public List<GuardrailValue> guardrailValues() {
            return guardrailValues;
        }

        /** The aggregate items the batch moves. */
        Set<AggregateItem> aggregateItems() {
            return contributions.keySet();
        }

        /**
         * The next update an item needs when its applied marker is {@code marker}: the sum of the batch's increments
         * to it from records after the marker — as many records, in order, as keep it within {@code maxBins} sketch
         * counters (at least one: a record moves at most {@link SketchIncrements#MAX_PER_EVENT}), so that one update's
         * expression stays within DynamoDB's 4 KB. The marker moves to the last record taken, or to the batch's last
         * record when the step takes them all. Empty when the item has them all.
         */
        Optional<Step> stepAfter(AggregateItem item, BigInteger marker, int maxBins) {
            NavigableMap<BigInteger, AggregateDelta> byRecord = contributions.getOrDefault(item, new TreeMap<>());
            AggregateDelta sum = null;
            BigInteger through = null;
            for (Map.Entry<BigInteger, AggregateDelta> record : (marker == null ? byRecord : byRecord.tailMap(marker, false)).entrySet()) {
                AggregateDelta more = sum == null ? record.getValue() : sum.plus(record.getValue());
                if (sum != null && more.bins().size() > maxBins) {
                    return Optional.of(new Step(sum, through));
                }
                sum = more;
                through = record.getKey();
            }
            return sum == null ? Optional.empty() : Optional.of(new Step(sum, last));
        }
    }

}
