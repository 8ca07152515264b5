package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.splitline.aggregate.AggregateReader;
import io.splitline.aggregate.AggregateTable;
import io.splitline.aggregate.Shards;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.stats.CovariateSums;
import io.splitline.stats.MetricAggregate;
import io.splitline.stats.SketchBin;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link IngestStore} and the {@link AggregateReader} over the same tables guarantee, run against
 * each implementation: the in-memory twin ({@code InMemoryIngestStoreTest}) and DynamoDB Local
 * ({@code DynamoDbIngestStoreContractTest}), so that service tests on the twin test what production does.
 */
public abstract class IngestStoreContract {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final String KEY = "checkout";
    private static final String SCOPE = IngestTarget.EXPERIMENT_SCOPE;

    /** The store over empty tables, new for every test. */
    protected abstract IngestStore store();

    /** The aggregate reader over the same tables as {@link #store()}. */
    protected abstract AggregateReader reader();

    private static IngestEvent exposure(String eventId, String unitId) {
        return new IngestEvent(0, eventId, KEY, unitId, EventType.EXPOSURE, null, null, NOW, false, Map.of());
    }

    private static UnitRef unit(String unitId) {
        return new UnitRef(KEY, SCOPE, unitId);
    }

    private static UnitState state(long version, String total) {
        return new UnitState("green", NOW.toString(), version, Map.of("purchase", new BigDecimal(total)),
                Map.of("purchase", new BigDecimal("2.5")));
    }

    /** A commit of one exposure event and its unit written at {@code version}, expecting {@code expected}. */
    private static WriteSet exposureOf(String eventId, String unitId, long version, long expected) {
        WriteSet set = new WriteSet();
        set.events.add(new WriteSet.EventWrite(exposure(eventId, unitId), "green", SCOPE));
        set.units.put(unit(unitId), new WriteSet.UnitWrite(unit(unitId), state(version, "1"), expected));
        set.addAggregate(unitsItem(unitId, "green"), new AggregateDelta(1, 0, BigDecimal.ZERO, BigDecimal.ZERO));
        return set;
    }

    private static WriteSet.AggregateItem unitsItem(String unitId, String variant) {
        return new WriteSet.AggregateItem(AggregateTable.pk(KEY, SCOPE, Shards.of(unitId)), AggregateTable.unitsSk(variant));
    }

    private static WriteSet.AggregateItem metricItem(int shard, String variant, String metric) {
        return new WriteSet.AggregateItem(AggregateTable.pk(KEY, SCOPE, shard), AggregateTable.metricSk(variant, metric));
    }

    private static BigDecimal n(String value) {
        return new BigDecimal(value);
    }

    /**
     * Equal counts and numerically equal sums: the scale a number is read back with is not part of the
     * contract (DynamoDB prints {@code 12.5}, DynamoDB Local keeps {@code 12.50} as written).
     */
    private static void assertSameNumbers(VariantAggregates want, VariantAggregates got) {
        assertEquals(want.variant(), got.variant());
        assertEquals(want.units(), got.units(), want.variant() + " units");
        assertEquals(want.metrics().keySet(), got.metrics().keySet(), want.variant() + " metrics");
        want.metrics().forEach((metric, w) -> {
            MetricAggregate g = got.metric(metric);
            String where = want.variant() + "/" + metric + ": want " + w + ", got " + g;
            assertEquals(w.positiveUnits(), g.positiveUnits(), where);
            assertEquals(0, w.sum().compareTo(g.sum()), where);
            assertEquals(0, w.sumSquares().compareTo(g.sumSquares()), where);
        });
        assertEquals(want.covariates().keySet(), got.covariates().keySet(), want.variant() + " covariates");
        want.covariates().forEach((metric, w) -> {
            CovariateSums g = got.covariates().get(metric);
            String where = want.variant() + "/" + metric + " covariates: want " + w + ", got " + g;
            assertEquals(0, w.sumX().compareTo(g.sumX()), where);
            assertEquals(0, w.sumXSquares().compareTo(g.sumXSquares()), where);
            assertEquals(0, w.sumXY().compareTo(g.sumXY()), where);
        });
        assertEquals(want.ratioProducts(), got.ratioProducts(), want.variant() + " ratio products");
    }

    @Test
    void commit_writesEventsUnitsAndAggregates_andReadsGiveThemBack() {
        IngestStore store = store();

        store.commit(exposureOf("e-1", "user-1", 1, 0), NOW);

        assertEquals(Set.of(KEY + "#e-1"), store.existingEvents(List.of(KEY + "#e-1", KEY + "#e-2")));
        assertEquals(Map.of(unit("user-1"), state(1, "1")), store.loadUnits(List.of(unit("user-1"), unit("user-2"))));
        assertEquals(Map.of("green", new VariantAggregates("green", 1, Map.of())), reader().read(KEY, SCOPE));
    }

    @Test
    void nothingStored_readsAsAbsent() {
        assertEquals(Set.of(), store().existingEvents(List.of(KEY + "#e-1")));
        assertEquals(Map.of(), store().loadUnits(List.of(unit("user-1"))));
        assertEquals(Map.of(), reader().read(KEY, SCOPE));
    }

    @Test
    void anEventAlreadyStored_cancelsTheCommit_namesTheDuplicate_andWritesNothing() {
        IngestStore store = store();
        store.commit(exposureOf("e-1", "user-1", 1, 0), NOW);

        WriteSet again = exposureOf("e-1", "user-2", 1, 0);
        CommitConflictException conflict = assertThrows(CommitConflictException.class, () -> store.commit(again, NOW));

        assertEquals(Set.of(KEY + "#e-1"), conflict.duplicateEvents());
        assertEquals(Set.of(), conflict.staleUnits());
        assertEquals(Map.of(), store.loadUnits(List.of(unit("user-2"))));
        assertEquals(1, reader().read(KEY, SCOPE).get("green").units());
    }

    @Test
    void aNewUnitThatIsStoredMeanwhile_isStale_andNothingIsWritten() {
        IngestStore store = store();
        store.commit(exposureOf("e-1", "user-1", 1, 0), NOW);

        WriteSet secondFirstExposure = exposureOf("e-2", "user-1", 1, 0);
        CommitConflictException conflict = assertThrows(CommitConflictException.class,
                () -> store.commit(secondFirstExposure, NOW));

        assertEquals(Set.of(), conflict.duplicateEvents());
        assertEquals(Set.of(unit("user-1")), conflict.staleUnits());
        assertEquals(Set.of(), store.existingEvents(List.of(KEY + "#e-2")));
        assertEquals(1, reader().read(KEY, SCOPE).get("green").units());
    }

    @Test
    void aUnitIsWrittenOnlyAtTheVersionItWasComputedFrom() {
        IngestStore store = store();
        store.commit(exposureOf("e-1", "user-1", 1, 0), NOW);

        WriteSet fromAnOldVersion = new WriteSet();
        fromAnOldVersion.units.put(unit("user-1"), new WriteSet.UnitWrite(unit("user-1"), state(3, "7"), 2));
        CommitConflictException conflict = assertThrows(CommitConflictException.class,
                () -> store.commit(fromAnOldVersion, NOW));
        assertEquals(Set.of(unit("user-1")), conflict.staleUnits());
        assertEquals(state(1, "1"), store.loadUnits(List.of(unit("user-1"))).get(unit("user-1")));

        WriteSet fromTheStoredVersion = new WriteSet();
        fromTheStoredVersion.units.put(unit("user-1"), new WriteSet.UnitWrite(unit("user-1"), state(2, "7"), 1));
        store.commit(fromTheStoredVersion, NOW);
        assertEquals(state(2, "7"), store.loadUnits(List.of(unit("user-1"))).get(unit("user-1")));
    }

    @Test
    void anUpdateOfAUnitNeverStored_isStale() {
        IngestStore store = store();
        WriteSet set = new WriteSet();
        set.units.put(unit("user-9"), new WriteSet.UnitWrite(unit("user-9"), state(2, "1"), 1));

        CommitConflictException conflict = assertThrows(CommitConflictException.class, () -> store.commit(set, NOW));

        assertEquals(Set.of(unit("user-9")), conflict.staleUnits());
        assertEquals(Map.of(), store.loadUnits(List.of(unit("user-9"))));
    }

    @Test
    void aCancelledCommit_namesEveryDuplicateAndEveryStaleUnit() {
        IngestStore store = store();
        store.commit(exposureOf("e-1", "user-1", 1, 0), NOW);
        store.commit(exposureOf("e-2", "user-2", 1, 0), NOW);

        WriteSet set = exposureOf("e-1", "user-3", 1, 0);
        set.events.add(new WriteSet.EventWrite(exposure("e-2", "user-2"), "green", SCOPE));
        set.events.add(new WriteSet.EventWrite(exposure("e-4", "user-4"), "green", SCOPE));
        set.units.put(unit("user-1"), new WriteSet.UnitWrite(unit("user-1"), state(1, "5"), 0));
        set.units.put(unit("user-2"), new WriteSet.UnitWrite(unit("user-2"), state(6, "5"), 5));
        CommitConflictException conflict = assertThrows(CommitConflictException.class, () -> store.commit(set, NOW));

        assertEquals(Set.of(KEY + "#e-1", KEY + "#e-2"), conflict.duplicateEvents());
        assertEquals(Set.of(unit("user-1"), unit("user-2")), conflict.staleUnits());
        assertEquals(Set.of(), store.existingEvents(List.of(KEY + "#e-4")));
        assertEquals(Map.of(), store.loadUnits(List.of(unit("user-3"))));
        assertEquals(2, reader().read(KEY, SCOPE).get("green").units());
    }

    @Test
    void aggregates_areSummedOverShardsAndCommits_exactly_perVariantAndMetric() {
        IngestStore store = store();
        WriteSet first = new WriteSet();
        first.addAggregate(metricItem(0, "green", "revenue"), new AggregateDelta(0, 1, n("0.1"), n("0.01")));
        first.addAggregate(metricItem(7, "green", "revenue"), new AggregateDelta(0, 2, n("0.2"), n("0.04")));
        first.addAggregate(metricItem(7, "control", "revenue"), new AggregateDelta(0, 1, n("12.50"), n("156.25")));
        first.addAggregate(new WriteSet.AggregateItem(AggregateTable.pk(KEY, SCOPE, 3), AggregateTable.unitsSk("green")),
                new AggregateDelta(4, 0, BigDecimal.ZERO, BigDecimal.ZERO));
        store.commit(first, NOW);
        WriteSet second = new WriteSet();
        second.addAggregate(metricItem(Shards.COUNT - 1, "green", "revenue"), new AggregateDelta(0, 0, n("100"), n("10000")));
        second.addAggregate(new WriteSet.AggregateItem(AggregateTable.pk(KEY, SCOPE, 0), AggregateTable.unitsSk("green")),
                new AggregateDelta(3, 0, BigDecimal.ZERO, BigDecimal.ZERO));
        store.commit(second, NOW);

        Map<String, VariantAggregates> read = reader().read(KEY, SCOPE);

        assertEquals(List.of("control", "green"), List.copyOf(read.keySet()));
        assertSameNumbers(new VariantAggregates("green", 7,
                Map.of("revenue", new MetricAggregate(3, n("100.3"), n("10000.05")))), read.get("green"));
        assertSameNumbers(new VariantAggregates("control", 0,
                Map.of("revenue", new MetricAggregate(1, n("12.5"), n("156.25")))), read.get("control"));
    }

    @Test
    void covariateSums_appearOnlyOnItemsAUnitWithACovariateTouched() {
        IngestStore store = store();
        WriteSet set = new WriteSet();
        set.addAggregate(metricItem(1, "green", "revenue"), AggregateDelta.covariate(n("3")));
        set.addAggregate(metricItem(1, "green", "revenue"), new AggregateDelta(0, 1, n("2"), n("4")).withCrossProduct(n("6")));
        set.addAggregate(metricItem(2, "green", "revenue"), new AggregateDelta(0, 1, n("5"), n("25")));
        set.addAggregate(metricItem(2, "green", "clicks"), new AggregateDelta(0, 1, n("1"), n("1")));
        store.commit(set, NOW);

        VariantAggregates green = reader().read(KEY, SCOPE).get("green");

        assertSameNumbers(new VariantAggregates("green", 0, Map.of("revenue", new MetricAggregate(2, n("7"), n("29")),
                        "clicks", new MetricAggregate(1, n("1"), n("1"))),
                Map.of("revenue", new CovariateSums(n("3"), n("9"), n("6"))), Map.of()), green);
    }

    @Test
    void cappedSumsRatioProductsAndSketchBins_areSummedOverShardsAndReadBack() {
        IngestStore store = store();
        WriteSet set = new WriteSet();
        SketchBin ten = SketchBin.of(BigDecimal.TEN);
        SketchBin two = SketchBin.of(n("2"));
        set.addAggregate(metricItem(1, "green", "revenue"), new AggregateDelta(0, 1, n("30"), n("900"))
                .withDerived(new DerivedDelta(new DerivedDelta.Capped(n("20"), n("400"), 1), Map.of("rps", n("60"))))
                .withBins(Map.of(AggregateTable.totalBin(ten), 2L)));
        set.addAggregate(metricItem(4, "green", "revenue"), new AggregateDelta(0, 1, n("5"), n("25"))
                .withDerived(new DerivedDelta(new DerivedDelta.Capped(n("5"), n("25"), 0), Map.of("rps", n("5"))))
                .withBins(Map.of(AggregateTable.totalBin(ten), 1L, AggregateTable.totalBin(two), -1L)));
        set.addAggregate(metricItem(4, "green", "latency"), new AggregateDelta(0, 1, n("12"), n("104"))
                .withBins(Map.of(AggregateTable.valueBin(ten), 1L, AggregateTable.valueBin(two), 1L)));
        store.commit(set, NOW);

        VariantAggregates green = reader().read(KEY, SCOPE).get("green");

        assertEquals(0, n("25").compareTo(green.capped().get("revenue").sum()));
        assertEquals(0, n("425").compareTo(green.capped().get("revenue").sumSquares()));
        assertEquals(1, green.capped().get("revenue").cappedUnits());
        assertEquals(0, n("65").compareTo(green.ratioProducts().get("rps")));
        assertEquals(Map.of(ten, 3L, two, -1L), green.totalSketches().get("revenue"));
        assertEquals(2, green.valueSketches().get("latency").count());
    }

    @Test
    void aRead_isOfOneKeyAndScopeOnly() {
        IngestStore store = store();
        WriteSet set = new WriteSet();
        set.addAggregate(new WriteSet.AggregateItem(AggregateTable.pk(KEY, "s1", 0), AggregateTable.unitsSk("treatment")),
                new AggregateDelta(2, 0, BigDecimal.ZERO, BigDecimal.ZERO));
        set.addAggregate(new WriteSet.AggregateItem(AggregateTable.pk("other", SCOPE, 0), AggregateTable.unitsSk("green")),
                new AggregateDelta(5, 0, BigDecimal.ZERO, BigDecimal.ZERO));
        store.commit(set, NOW);

        assertEquals(Map.of(), reader().read(KEY, SCOPE));
        assertEquals(2, reader().read(KEY, "s1").get("treatment").units());
        assertEquals(5, reader().read("other", SCOPE).get("green").units());
    }

    @Test
    void aCommitOfMoreThanOneTransactionsWorth_isRefused_andWritesNothing() {
        IngestStore store = store();
        WriteSet tooMany = new WriteSet();
        IntStream.rangeClosed(1, WriteSet.MAX_ITEMS + 1)
                .forEach(i -> tooMany.events.add(new WriteSet.EventWrite(exposure("e-" + i, "user-" + i), "green", SCOPE)));

        RuntimeException refused = assertThrows(RuntimeException.class, () -> store.commit(tooMany, NOW));

        // An error, not a conflict: retrying it could never succeed.
        assertFalse(refused instanceof CommitConflictException, refused.toString());
        assertEquals(Set.of(), store.existingEvents(List.of(KEY + "#e-1", KEY + "#e-" + (WriteSet.MAX_ITEMS + 1))));
    }
}
