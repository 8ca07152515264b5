package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.aggregate.AggregateReader;
import io.splitline.aggregate.AggregateTable;
import io.splitline.aggregate.CappedSums;
import io.splitline.aggregate.SegmentTable;
import io.splitline.aggregate.SegmentVariants;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.rollout.MutableClock;
import io.splitline.stats.CovariateSums;
import io.splitline.stats.MetricAggregate;
import io.splitline.stats.QuantileSketch;
import io.splitline.stats.SketchBin;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StreamFoldStore} and the {@link AggregateReader} over its aggregate items guarantee, run against
 * the in-memory twins ({@code InMemoryStreamFoldStoreTest}) and DynamoDB Local ({@code DynamoDbStreamFoldStoreContractTest}):
 * which conditional writes are refused (and then write nothing), and what reads return after the writes that passed.
 */
public abstract class StreamFoldStoreContract {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final String KEY = "exp-a";
    private static final String SCOPE = IngestTarget.EXPERIMENT_SCOPE;
    private static final String SHARD_A = "shardId-00000001700000000000-aaaaaaaa";
    private static final String SHARD_B = "shardId-00000001700000000001-bbbbbbbb";
    /** Stream sequence numbers have 21 to 40 digits: more than a long holds. */
    private static final BigInteger SEQ = new BigInteger("49600000000000000000000000000");
    private static final AggregateItem TREATMENT_UNITS = new AggregateItem(AggregateTable.pk(KEY, SCOPE, 3), AggregateTable.unitsSk("treatment"));
    private static final AggregateItem TREATMENT_REVENUE = new AggregateItem(AggregateTable.pk(KEY, SCOPE, 3),
            AggregateTable.metricSk("treatment", "revenue"));

    /** A store with the reader of its aggregate items. */
    protected record Fold(StreamFoldStore store, AggregateReader reader) {
    }

    /** An empty store on this clock (for its markers' times), new for every test. */
    protected abstract Fold fold(Clock clock);

    private Fold fold() {
        return fold(new MutableClock(T0));
    }

    private static BigInteger seq(long offset) {
        return SEQ.add(BigInteger.valueOf(offset));
    }

    private static AggregateDelta units(long n) {
        return new AggregateDelta(n, 0, BigDecimal.ZERO, BigDecimal.ZERO);
    }

    private static AggregateDelta sums(long positive, String sum, String sumSquares) {
        return new AggregateDelta(0, positive, new BigDecimal(sum), new BigDecimal(sumSquares));
    }

    private static StreamUnit unit(String revenue, long version) {
        UnitState state = new UnitState("treatment", "2026-12-01T10:00:00Z", version, Map.of("revenue", new BigDecimal(revenue),
                "visits", new BigDecimal("3")), Map.of("revenue", new BigDecimal("12.5")));
        return new StreamUnit(state, seq(version), seq(0), Map.of(seq(version), new StreamUnit.Before("revenue", new BigDecimal("1.5"))),
                Map.of("country", "DE"));
    }

    @Test
    void anEmptyStore_hasNoUnitsMarkersSlotsOrDecidedPoint_andReadsNothing() {
        Fold fold = fold();
        StreamFoldStore store = fold.store();

        assertEquals(Map.of(), store.loadUnits(List.of(new UnitRef(KEY, SCOPE, "u1"))));
        assertNull(store.decidedThrough(SHARD_A));
        assertEquals(Map.of(), store.appliedMarkers(List.of(TREATMENT_UNITS), SHARD_A));
        assertEquals(Map.of(), store.loadSlots(List.of(new SlotSet(KEY, SCOPE, "country"))));
        assertEquals(Map.of(), fold.reader().read(KEY, SCOPE));
        assertEquals(List.of(), fold.reader().segments(KEY, SCOPE));
    }

    @Test
    void aWrittenUnit_isLoadedWhole_andOthersStayAbsent() {
        StreamFoldStore store = fold().store();
        UnitRef ref = new UnitRef(KEY, SCOPE, "u1");

        assertTrue(store.writeUnit(new StreamFold.UnitWrite(ref, unit("4.5", 1), 0)));

        assertEquals(Map.of(ref, unit("4.5", 1)), store.loadUnits(List.of(ref, new UnitRef(KEY, SCOPE, "u2"),
                new UnitRef(KEY, "stage-2", "u1"), new UnitRef("exp-b", SCOPE, "u1"))));
    }

    @Test
    void aUnitWrite_needsTheStoredVersion_andARefusedOneWritesNothing() {
        StreamFoldStore store = fold().store();
        UnitRef ref = new UnitRef(KEY, SCOPE, "u1");
        store.writeUnit(new StreamFold.UnitWrite(ref, unit("1", 1), 0));

        assertFalse(store.writeUnit(new StreamFold.UnitWrite(ref, unit("9", 1), 0)), "the unit exists: 0 is stale");
        assertTrue(store.writeUnit(new StreamFold.UnitWrite(ref, unit("2", 2), 1)));
        assertFalse(store.writeUnit(new StreamFold.UnitWrite(ref, unit("9", 2), 1)), "a re-applied write: 1 is stale");
        assertFalse(store.writeUnit(new StreamFold.UnitWrite(ref, unit("9", 4), 3)), "a version ahead is refused too");
        assertTrue(store.writeUnit(new StreamFold.UnitWrite(new UnitRef(KEY, "stage-2", "u1"), unit("7", 1), 0)),
                "the same unit in another scope is another item");

        assertEquals(unit("2", 2), store.loadUnits(List.of(ref)).get(ref));
    }

    @Test
    void theDecidedPoint_onlyMovesForward_perStreamShard() {
        StreamFoldStore store = fold().store();

        store.markDecided(SHARD_A, seq(100));
        store.markDecided(SHARD_A, seq(90));
        assertEquals(seq(100), store.decidedThrough(SHARD_A));
        store.markDecided(SHARD_A, seq(120));

        assertEquals(seq(120), store.decidedThrough(SHARD_A));
        assertNull(store.decidedThrough(SHARD_B));
    }

    @Test
    void anIncrement_needsTheShardsMarkerToBeTheExpectedOne_andARefusedOneAddsNothing() {
        Fold fold = fold();
        StreamFoldStore store = fold.store();

        assertTrue(store.addIfMarker(TREATMENT_UNITS, SHARD_A, null, seq(100), units(1)));
        assertFalse(store.addIfMarker(TREATMENT_UNITS, SHARD_A, null, seq(101), units(1)), "the shard has a marker now");
        assertFalse(store.addIfMarker(TREATMENT_UNITS, SHARD_A, seq(99), seq(101), units(1)), "not the marker stored");
        assertTrue(store.addIfMarker(TREATMENT_UNITS, SHARD_A, seq(100), seq(105), units(2)));
        assertFalse(store.addIfMarker(TREATMENT_UNITS, SHARD_A, seq(100), seq(105), units(2)), "the same batch re-applied");
        assertTrue(store.addIfMarker(TREATMENT_UNITS, SHARD_B, null, seq(7), units(10)), "each shard has its own marker");

        assertEquals(Map.of(TREATMENT_UNITS, seq(105)), store.appliedMarkers(List.of(TREATMENT_UNITS, TREATMENT_REVENUE), SHARD_A));
        assertEquals(Map.of(TREATMENT_UNITS, seq(7)), store.appliedMarkers(List.of(TREATMENT_UNITS), SHARD_B));
        assertEquals(13, fold.reader().read(KEY, SCOPE).get("treatment").units());
    }

    @Test
    void aRead_sumsEveryShardsItems_withCupedCappedRatioAndSketchSums() {
        Fold fold = fold();
        StreamFoldStore store = fold.store();
        SketchBin five = SketchBin.of(new BigDecimal("5"));
        SketchBin ten = SketchBin.of(new BigDecimal("10"));
        AggregateItem revenue7 = new AggregateItem(AggregateTable.pk(KEY, SCOPE, 7), AggregateTable.metricSk("treatment", "revenue"));
        add(store, new AggregateItem(AggregateTable.pk(KEY, SCOPE, 0), AggregateTable.unitsSk("control")), units(2));
        add(store, new AggregateItem(AggregateTable.pk(KEY, SCOPE, 15), AggregateTable.unitsSk("control")), units(1));
        add(store, new AggregateItem(AggregateTable.pk(KEY, SCOPE, 0), AggregateTable.metricSk("control", "revenue")), sums(1, "3", "9"));
        add(store, TREATMENT_UNITS, units(4));
        add(store, TREATMENT_REVENUE, new AggregateDelta(0, 2, new BigDecimal("10.5"), new BigDecimal("60.25"), new BigDecimal("3"),
                new BigDecimal("9"), new BigDecimal("12"), new DerivedDelta(new DerivedDelta.Capped(new BigDecimal("8"), new BigDecimal("40"), 1),
                Map.of("rpv", new BigDecimal("4.5"))), Map.of(AggregateTable.valueBin(five), 2L, AggregateTable.totalBin(ten), 1L)));
        add(store, revenue7, new AggregateDelta(0, 1, new BigDecimal("2"), new BigDecimal("4"), BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO, new DerivedDelta(new DerivedDelta.Capped(new BigDecimal("2"), new BigDecimal("4"), 0),
                Map.of("rpv", BigDecimal.ZERO)), Map.of(AggregateTable.valueBin(five), 1L)));

        Map<String, VariantAggregates> read = fold.reader().read(KEY, SCOPE);

        assertEquals(Map.of(
                "control", new VariantAggregates("control", 3, Map.of("revenue", new MetricAggregate(1, new BigDecimal("3"), new BigDecimal("9")))),
                "treatment", new VariantAggregates("treatment", 4,
                        Map.of("revenue", new MetricAggregate(3, new BigDecimal("12.5"), new BigDecimal("64.25"))),
                        Map.of("revenue", new CovariateSums(new BigDecimal("3"), new BigDecimal("9"), new BigDecimal("12"))),
                        Map.of("rpv", new BigDecimal("4.5")),
                        Map.of("revenue", new CappedSums(new BigDecimal("10"), new BigDecimal("44"), 1)),
                        Map.of("revenue", new QuantileSketch(Map.of(five, 3L))),
                        Map.of("revenue", Map.of(ten, 1L)))), read);
        assertEquals(List.of("control", "treatment"), List.copyOf(read.keySet()), "variants in key order");
        assertEquals(Map.of(), fold.reader().read("exp-b", SCOPE));
        assertEquals(Map.of(), fold.reader().read(KEY, "stage-2"));
    }

    @Test
    void sketchCountersThatCancelOut_areNotRead() {
        Fold fold = fold();
        StreamFoldStore store = fold.store();
        SketchBin ten = SketchBin.of(new BigDecimal("10"));
        SketchBin twenty = SketchBin.of(new BigDecimal("20"));

        // A unit's total moves from the bin of 10 to that of 20: the percentile cap's counters follow it.
        assertTrue(store.addIfMarker(TREATMENT_REVENUE, SHARD_A, null, seq(1), sums(1, "10", "100")
                .withBins(Map.of(AggregateTable.totalBin(ten), 1L))));
        assertTrue(store.addIfMarker(TREATMENT_REVENUE, SHARD_A, seq(1), seq(2), sums(0, "10", "300")
                .withBins(Map.of(AggregateTable.totalBin(ten), -1L, AggregateTable.totalBin(twenty), 1L))));

        assertEquals(Map.of("revenue", Map.of(twenty, 1L)), fold.reader().read(KEY, SCOPE).get("treatment").totalSketches());
    }

    @Test
    void oneIncrement_carriesUpToMaxBinsPerUpdateSketchCounters() {
        Fold fold = fold();
        Map<String, Long> bins = new HashMap<>();
        Map<SketchBin, Long> expected = new HashMap<>();
        for (int i = 1; i <= StreamFoldStore.MAX_BINS_PER_UPDATE; i++) {
            SketchBin bin = SketchBin.of(new BigDecimal("1.1").pow(i)); // 10 % apart: a bin each
            bins.put(AggregateTable.valueBin(bin), 1L);
            expected.merge(bin, 1L, Long::sum);
        }
        assertEquals(StreamFoldStore.MAX_BINS_PER_UPDATE, expected.size(), "distinct bins");

        assertTrue(fold.store().addIfMarker(TREATMENT_REVENUE, SHARD_A, null, seq(1), sums(1, "1", "1").withBins(bins)));

        assertEquals(new QuantileSketch(expected), fold.reader().read(KEY, SCOPE).get("treatment").valueSketches().get("revenue"));
    }

    @Test
    void segmentItems_areReadBySegment_inDimensionThenValueOrder_andNotAsTheExperimentsTotals() {
        Fold fold = fold();
        StreamFoldStore store = fold.store();
        String de = "DE";
        String odd = "FR#1%";
        add(store, segmentItem(2, "country", de, AggregateTable.unitsSk("treatment")), units(2));
        add(store, segmentItem(9, "country", de, AggregateTable.unitsSk("treatment")), units(1));
        add(store, segmentItem(9, "country", de, AggregateTable.metricSk("treatment", "revenue")), sums(1, "4", "16"));
        add(store, segmentItem(4, "country", odd, AggregateTable.unitsSk("control")), units(1));
        add(store, segmentItem(4, "browser", "firefox", AggregateTable.unitsSk("control")), units(1));

        assertEquals(List.of(
                new SegmentVariants("browser", "firefox", Map.of("control", new VariantAggregates("control", 1, Map.of()))),
                new SegmentVariants("country", de, Map.of("treatment", new VariantAggregates("treatment", 3,
                        Map.of("revenue", new MetricAggregate(1, new BigDecimal("4"), new BigDecimal("16")))))),
                new SegmentVariants("country", odd, Map.of("control", new VariantAggregates("control", 1, Map.of())))),
                fold.reader().segments(KEY, SCOPE));
        assertEquals(Map.of(), fold.reader().read(KEY, SCOPE));
    }

    @Test
    void aRetiredShardsMarker_goesWithTheNextIncrementOfAnotherShard_thatReadTheMarkers() {
        MutableClock clock = new MutableClock(T0);
        Fold fold = fold(clock);
        StreamFoldStore store = fold.store();
        List<AggregateItem> item = List.of(TREATMENT_UNITS);
        assertTrue(store.addIfMarker(TREATMENT_UNITS, SHARD_A, null, seq(100), units(1)));

        clock.advance(MarkerPruning.RETIRE_AFTER.minusHours(1));
        store.appliedMarkers(item, SHARD_B);
        assertTrue(store.addIfMarker(TREATMENT_UNITS, SHARD_B, null, seq(5000), units(1)));
        assertEquals(Map.of(TREATMENT_UNITS, seq(100)), store.appliedMarkers(item, SHARD_A), "not retired yet: kept");

        clock.advance(Duration.ofHours(2));
        assertEquals(Map.of(TREATMENT_UNITS, seq(5000)), store.appliedMarkers(item, SHARD_B));
        assertTrue(store.addIfMarker(TREATMENT_UNITS, SHARD_B, seq(5000), seq(5001), units(1)));

        assertEquals(Map.of(), store.appliedMarkers(item, SHARD_A), "retired: removed");
        assertEquals(Map.of(TREATMENT_UNITS, seq(5001)), store.appliedMarkers(item, SHARD_B));
        assertTrue(store.addIfMarker(TREATMENT_UNITS, SHARD_A, null, seq(102), units(1)), "shard A's next records apply");
        assertEquals(4, fold.reader().read(KEY, SCOPE).get("treatment").units());
    }

    @Test
    void aRetiredMarker_writtenAgainAfterItWasRead_isKept() {
        MutableClock clock = new MutableClock(T0);
        Fold fold = fold(clock);
        StreamFoldStore store = fold.store();
        List<AggregateItem> item = List.of(TREATMENT_UNITS);
        store.addIfMarker(TREATMENT_UNITS, SHARD_A, null, seq(100), units(1));
        clock.advance(MarkerPruning.RETIRE_AFTER.plusHours(1));

        store.appliedMarkers(item, SHARD_B); // sees shard A's marker retired
        assertTrue(store.addIfMarker(TREATMENT_UNITS, SHARD_A, seq(100), seq(101), units(1))); // an idle shard A moves on
        boolean added = store.addIfMarker(TREATMENT_UNITS, SHARD_B, null, seq(5000), units(1));

        // Refusing (DynamoDB: the removal's condition failed) or adding without the removal are both exact.
        assertEquals(Map.of(TREATMENT_UNITS, seq(101)), store.appliedMarkers(item, SHARD_A));
        assertEquals(added ? 3 : 2, fold.reader().read(KEY, SCOPE).get("treatment").units());
        assertEquals(added ? Map.of(TREATMENT_UNITS, seq(5000)) : Map.of(), store.appliedMarkers(item, SHARD_B));
    }

    @Test
    void aSlotSet_takesAtMostItsSlots_butAlwaysAValueItHolds() {
        StreamFoldStore store = fold().store();
        SlotSet country = new SlotSet(KEY, SCOPE, "country");
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < SegmentValues.SLOTS; i++) {
            assertTrue(store.claimSlot(country, "c" + i, SegmentValues.SLOTS));
            taken.add("c" + i);
        }

        assertFalse(store.claimSlot(country, "late", SegmentValues.SLOTS), "full");
        assertTrue(store.claimSlot(country, "c7", SegmentValues.SLOTS), "already slotted");
        assertTrue(store.claimSlot(new SlotSet(KEY, SCOPE, "browser"), "firefox", SegmentValues.SLOTS), "another dimension");

        assertEquals(Map.of(country, taken, new SlotSet(KEY, SCOPE, "browser"), Set.of("firefox")), store.loadSlots(List.of(country,
                new SlotSet(KEY, SCOPE, "browser"), new SlotSet(KEY, "stage-2", "country"))));
    }

    /** Adds the delta as a shard's first batch on the item would (each item here gets one). */
    private static void add(StreamFoldStore store, AggregateItem item, AggregateDelta delta) {
        assertTrue(store.addIfMarker(item, SHARD_A, null, seq(1), delta));
    }

    private static AggregateItem segmentItem(int shard, String dimension, String value, String variantSk) {
        return new AggregateItem(SegmentTable.pk(KEY, SCOPE, shard), SegmentTable.sk(dimension, value, variantSk));
    }
}
