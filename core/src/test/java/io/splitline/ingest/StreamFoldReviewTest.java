package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.aggregate.AggregateTable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Findings of the review of design B's exactly-once protocol (docs/ingest-v2.md, "Review findings") that show in
 * the pure fold, on the in-memory twin.
 */
class StreamFoldReviewTest {
    static final String SHARD = StreamAggregatorTest.SHARDS.get(0);
    static final String LATENCY = "latency";
    static final IngestTarget QUANTILES = new IngestTarget("exp-q", IngestTarget.EXPERIMENT_SCOPE, true, StreamAggregatorTest::armOf,
            Set.of(), DerivedSums.NONE, Set.of(LATENCY), Set.of());
    static final IngestTargets QUANTILE_TARGETS = only(QUANTILES);

    /** Definitions with one running target, which every key finds. */
    static IngestTargets only(IngestTarget target) {
        return new IngestTargets() {
            @Override
            public Optional<IngestTarget> find(String key) {
                return Optional.of(target);
            }

            @Override
            public List<IngestTarget> active() {
                return List.of(target);
            }
        };
    }

    /** One unit's exposure and {@code events} latency values, each in a bin of its own. */
    static List<StreamRecord> manyBins(String unit, int events) {
        BigInteger s = StreamAggregatorTest.FIRST_SEQUENCE;
        List<StreamRecord> batch = new ArrayList<>();
        batch.add(new StreamRecord(s, StreamAggregatorTest.exposure("x", "exp-q", unit, StreamAggregatorTest.T0, Map.of())));
        for (int i = 0; i < events; i++) {
            batch.add(new StreamRecord(s.add(BigInteger.valueOf(i + 1)), StreamAggregatorTest.metric("l" + i, "exp-q", unit, LATENCY,
                    BigDecimal.valueOf(1.03).pow(i).setScale(6, RoundingMode.HALF_UP), StreamAggregatorTest.T0)));
        }
        return batch;
    }

    /** Finding 2: many sketch counters on one item go out in bounded updates, exactly once under crashes between them. */
    @Test
    void manySketchCountersOnOneItem_goInBoundedUpdates_exactlyOnceUnderCrashesBetweenThem() {
        String unit = StreamAggregatorTest.unitIn("treatment", 0);
        int events = 300;
        List<StreamRecord> batch = manyBins(unit, events);
        AggregateItem item = UnitEffects.metricItem(AggregateTable.pk("exp-q", IngestTarget.EXPERIMENT_SCOPE,
                io.splitline.aggregate.Shards.of(SHARD)), "treatment", LATENCY);
        CrashingStreamFoldStore clean = new CrashingStreamFoldStore(new InMemoryStreamFoldStore());
        new StreamAggregator(clean, QUANTILE_TARGETS).apply(SHARD, batch);
        assertTrue(clean.writes > 2 + events / StreamFoldStore.MAX_BINS_PER_UPDATE, "the item takes several updates: " + clean.writes + " writes");
        for (int crashAfter = 0; crashAfter < clean.writes; crashAfter++) {
            InMemoryStreamFoldStore store = new InMemoryStreamFoldStore();
            CountingStore counting = new CountingStore(store);
            CrashingStreamFoldStore crashing = new CrashingStreamFoldStore(counting);
            StreamAggregator aggregator = new StreamAggregator(crashing, QUANTILE_TARGETS);
            crashing.crashAfter(crashAfter);
            int at = crashAfter;
            assertThrows(CrashingStreamFoldStore.Crash.class, () -> aggregator.apply(SHARD, batch), "crash after " + at + " writes");
            aggregator.apply(SHARD, batch.subList(0, batch.size() / 2)); // bisected retry
            aggregator.apply(SHARD, batch.subList(batch.size() / 2, batch.size()));
            aggregator.apply(SHARD, batch); // and a late re-delivery of the whole batch

            AggregateDelta got = store.aggregates.get(item);
            assertEquals(events, got.bins().values().stream().mapToLong(Long::longValue).sum(), "values counted, crash after " + at);
            assertEquals(events, got.bins().size(), "one bin per value");
            assertTrue(counting.mostBins > 0 && counting.mostBins <= StreamFoldStore.MAX_BINS_PER_UPDATE, "counters per update: " + counting.mostBins);
        }
    }

    /**
     * Finding 3: which targets a keyless record fans out to is read from the definitions at every attempt. The
     * first attempt wrote the unit of exp-b (its total includes the keyless purchase), crashed before the
     * aggregates; exp-b stopped before the retry. The retry still fans the record out to exp-b, now inactive
     * ({@link IngestTargets#keylessFanOut()}), and replays the increment its unit holds.
     */
    @Test
    void anExperimentStoppedBetweenAttempts_stillGetsTheIncrementsItsUnitsHold() {
        String unit = StreamAggregatorTest.unitIn("treatment", 0);
        BigInteger s = StreamAggregatorTest.FIRST_SEQUENCE;
        List<StreamRecord> batch = List.of(
                new StreamRecord(s, StreamAggregatorTest.exposure("x", "exp-b", unit, StreamAggregatorTest.T0, Map.of())),
                new StreamRecord(s.add(BigInteger.ONE), StreamAggregatorTest.metric("k", null, unit, "purchase", BigDecimal.TEN,
                        StreamAggregatorTest.T0.plusSeconds(1))));
        boolean[] running = {true};
        IngestTargets targets = new IngestTargets() {
            @Override
            public Optional<IngestTarget> find(String key) {
                return Optional.of(StreamAggregatorTest.target(key, running[0]));
            }

            @Override
            public List<IngestTarget> active() {
                return running[0] ? List.of(StreamAggregatorTest.target("exp-b", true)) : List.of();
            }

            @Override
            public List<IngestTarget> keylessFanOut() { // exp-b stopped a moment ago: inactive, still in the fan-out
                return List.of(StreamAggregatorTest.target("exp-b", running[0]));
            }
        };
        InMemoryStreamFoldStore store = new InMemoryStreamFoldStore();
        CrashingStreamFoldStore crashing = new CrashingStreamFoldStore(store);
        StreamAggregator aggregator = new StreamAggregator(crashing, targets);
        crashing.crashAfter(2); // the unit and the decided point, no aggregate
        assertThrows(CrashingStreamFoldStore.Crash.class, () -> aggregator.apply(SHARD, batch));
        running[0] = false; // exp-b stops; Lambda retries the batch
        aggregator.apply(SHARD, batch);

        StreamUnit stored = store.units.get(new UnitRef("exp-b", IngestTarget.EXPERIMENT_SCOPE, unit));
        assertEquals(0, BigDecimal.TEN.compareTo(stored.state().total("purchase")), "the unit holds the purchase");
        AggregateDelta purchases = StreamAggregatorTest.summed(store).getOrDefault("exp-b/treatment#purchase", AggregateDelta.ZERO);
        assertEquals(0, BigDecimal.TEN.compareTo(purchases.sum()), "exp-b's aggregate holds it too: " + purchases.sum());
    }

    /**
     * Finding 4: a replayed record's increment is recomputed from the unit's stored state with only that record's
     * metric put back to its "before" total; the other totals are those after the whole last write. A ratio
     * metric's Σ numerator·denominator increment reads the other part's total, so the replay differs from the
     * first attempt: revenue +10 then orders +1 adds 0 + 10 first time, 10 + 10 on the retry.
     */
    @Test
    void aCrashBeforeTheAggregates_replaysRatioCrossProductsAsTheFirstAttemptComputedThem() {
        String unit = StreamAggregatorTest.unitIn("treatment", 0);
        IngestTarget ratio = new IngestTarget("exp-r", IngestTarget.EXPERIMENT_SCOPE, true, StreamAggregatorTest::armOf, Set.of(),
                new DerivedSums(Map.of(), List.of(new DerivedSums.Ratio("aov", "revenue", "orders"))), Set.of(), Set.of());
        IngestTargets targets = only(ratio);
        BigInteger s = StreamAggregatorTest.FIRST_SEQUENCE;
        List<StreamRecord> batch = List.of(
                new StreamRecord(s, StreamAggregatorTest.exposure("x", "exp-r", unit, StreamAggregatorTest.T0, Map.of())),
                new StreamRecord(s.add(BigInteger.ONE), StreamAggregatorTest.metric("r", "exp-r", unit, "revenue", BigDecimal.TEN,
                        StreamAggregatorTest.T0)),
                new StreamRecord(s.add(BigInteger.TWO), StreamAggregatorTest.metric("o", "exp-r", unit, "orders", BigDecimal.ONE,
                        StreamAggregatorTest.T0)));
        InMemoryStreamFoldStore clean = new InMemoryStreamFoldStore();
        new StreamAggregator(clean, targets).apply(SHARD, batch);
        InMemoryStreamFoldStore store = new InMemoryStreamFoldStore();
        CrashingStreamFoldStore crashing = new CrashingStreamFoldStore(store);
        StreamAggregator aggregator = new StreamAggregator(crashing, targets);
        crashing.crashAfter(2); // the unit and the decided point, no aggregate
        assertThrows(CrashingStreamFoldStore.Crash.class, () -> aggregator.apply(SHARD, batch));
        aggregator.apply(SHARD, batch);

        assertEquals(0, BigDecimal.TEN.compareTo(crossProducts(clean)), "one unit, 10 × 1");
        assertEquals(0, crossProducts(clean).compareTo(crossProducts(store)), "the retry's Σ numerator·denominator: " + crossProducts(store));
    }

    /** A target with a ratio (revenue per order), revenue capped at 12 and sketched by unit total (a percentile cap). */
    static final IngestTarget DERIVED = new IngestTarget("exp-d", IngestTarget.EXPERIMENT_SCOPE, true, StreamAggregatorTest::armOf,
            Set.of(), new DerivedSums(Map.of("revenue", BigDecimal.valueOf(12)), List.of(new DerivedSums.Ratio("aov", "revenue", "orders"))),
            Set.of(), Set.of("revenue"));

    /**
     * Two units, each exposed with a covariate, then revenue and orders interleaved so that every record's derived
     * increments (ratio product, capped sums, total bins, covariate cross-product) depend on totals other records moved.
     */
    static List<StreamRecord> interleaved(String key) {
        List<StreamRecord> batch = new ArrayList<>();
        BigInteger s = StreamAggregatorTest.FIRST_SEQUENCE;
        for (String unit : List.of(StreamAggregatorTest.unitIn("treatment", 0), StreamAggregatorTest.unitIn("control", 0))) {
            batch.add(new StreamRecord(s.add(BigInteger.valueOf(batch.size())), StreamAggregatorTest.exposure("x", key, unit,
                    StreamAggregatorTest.T0, Map.of("revenue", BigDecimal.valueOf(3)))));
            int[][] moves = {{0, 10}, {1, 1}, {0, 5}, {1, 2}, {0, 1}};
            for (int[] move : moves) {
                batch.add(new StreamRecord(s.add(BigInteger.valueOf(batch.size())), StreamAggregatorTest.metric("m" + batch.size(), key,
                        unit, move[0] == 0 ? "revenue" : "orders", BigDecimal.valueOf(move[1]), StreamAggregatorTest.T0)));
            }
        }
        return batch;
    }

    /** Finding 4, every derived sum: a crash at any write, then the batch again, moves every sum as one clean attempt does. */
    @Test
    void aCrashAtAnyWrite_replaysEveryDerivedSumAsTheFirstAttemptComputedIt() {
        List<StreamRecord> batch = interleaved("exp-d");
        IngestTargets targets = only(DERIVED);
        InMemoryStreamFoldStore clean = new InMemoryStreamFoldStore();
        CrashingStreamFoldStore counted = new CrashingStreamFoldStore(clean);
        new StreamAggregator(counted, targets).apply(SHARD, batch);
        for (int crashAfter = 0; crashAfter < counted.writes; crashAfter++) {
            InMemoryStreamFoldStore store = new InMemoryStreamFoldStore();
            CrashingStreamFoldStore crashing = new CrashingStreamFoldStore(store);
            StreamAggregator aggregator = new StreamAggregator(crashing, targets);
            crashing.crashAfter(crashAfter);
            assertThrows(CrashingStreamFoldStore.Crash.class, () -> aggregator.apply(SHARD, batch));
            aggregator.apply(SHARD, batch.subList(0, 4)); // bisected: the first half replays part of the unit's last write
            aggregator.apply(SHARD, batch.subList(4, batch.size()));
            aggregator.apply(SHARD, batch);

            assertEquals(clean.aggregates.keySet(), store.aggregates.keySet(), "items, crash after " + crashAfter);
            for (AggregateItem item : clean.aggregates.keySet()) {
                AggregateDelta want = clean.aggregates.get(item);
                AggregateDelta got = store.aggregates.get(item);
                String where = item.sk() + ", crash after " + crashAfter;
                StreamAggregatorTest.assertEqualSums(Map.of(where, want), Map.of(where, got));
                assertEquals(want.bins(), got.bins(), where + " bins");
                assertEquals(want.derived().capped() == null, got.derived().capped() == null, where + " capped");
                if (want.derived().capped() != null) {
                    assertEquals(0, want.derived().capped().sum().compareTo(got.derived().capped().sum()), where + " capped sum");
                    assertEquals(0, want.derived().capped().sumSquares().compareTo(got.derived().capped().sumSquares()), where + " capped sumSq");
                    assertEquals(want.derived().capped().units(), got.derived().capped().units(), where + " above the cap");
                }
                assertEquals(0, want.derived().ratioProducts().getOrDefault("aov", BigDecimal.ZERO)
                        .compareTo(got.derived().ratioProducts().getOrDefault("aov", BigDecimal.ZERO)), where + " Σ revenue·orders");
            }
        }
        // Σ revenue·orders over both units: each ends at revenue 16, orders 3
        assertEquals(0, BigDecimal.valueOf(2 * 16 * 3).compareTo(crossProducts(clean)), "the clean attempt's Σ numerator·denominator");
    }

    /** Σ numerator·denominator of the ratio "aov", summed over the items it is kept on. */
    static BigDecimal crossProducts(InMemoryStreamFoldStore store) {
        return store.aggregates.values().stream().map(d -> d.derived().ratioProducts().getOrDefault("aov", BigDecimal.ZERO))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Passes everything to a store and keeps the most sketch counters one aggregate update carried. */
    static final class CountingStore implements StreamFoldStore {
        final StreamFoldStore store;
        int mostBins;

        CountingStore(StreamFoldStore store) {
            this.store = store;
        }

        @Override
        public Map<UnitRef, StreamUnit> loadUnits(java.util.Collection<UnitRef> refs) {
            return store.loadUnits(refs);
        }

        @Override
        public boolean writeUnit(StreamFold.UnitWrite write) {
            return store.writeUnit(write);
        }

        @Override
        public BigInteger decidedThrough(String streamShard) {
            return store.decidedThrough(streamShard);
        }

        @Override
        public void markDecided(String streamShard, BigInteger sequence) {
            store.markDecided(streamShard, sequence);
        }

        @Override
        public Map<AggregateItem, BigInteger> appliedMarkers(java.util.Collection<AggregateItem> items, String streamShard) {
            return store.appliedMarkers(items, streamShard);
        }

        @Override
        public boolean addIfMarker(AggregateItem item, String streamShard, BigInteger expected, BigInteger marker,
                                   AggregateDelta delta) {
            synchronized (this) { // the aggregator's writes come from several threads
                mostBins = Math.max(mostBins, delta.bins().size());
            }
            return store.addIfMarker(item, streamShard, expected, marker, delta);
        }

        @Override
        public Map<SlotSet, java.util.Set<String>> loadSlots(java.util.Collection<SlotSet> sets) {
            return store.loadSlots(sets);
        }

        @Override
        public boolean claimSlot(SlotSet set, String value, int slots) {
            return store.claimSlot(set, value, slots);
        }
    }
}
