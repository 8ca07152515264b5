package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.aggregate.AggregateTable;
import io.splitline.aggregate.Shards;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stream fold against an independent ground truth (per-unit totals computed directly from the whole
 * stream, then summed), with Lambda's delivery simulated: batches of a stream shard in order, a failed batch
 * retried whole or bisected, and invocations crashing before any write — between unit writes, between the
 * unit and the aggregate writes, between aggregate writes.
 */
class StreamAggregatorTest {
    static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");
    static final List<String> SHARDS = List.of("shardId-00000001700000000000-0a1b2c3d", "shardId-00000001700000000001-4e5f6a7b");
    static final List<String> METRICS = List.of("purchase", "revenue");
    static final BigInteger FIRST_SEQUENCE = new BigInteger("49626100000000000000000000");

    /** exp-a and exp-b run; exp-off is stopped; one unit in seven is outside every experiment. */
    static final IngestTargets TARGETS = new IngestTargets() {
        @Override
        public Optional<IngestTarget> find(String key) {
            return Optional.of(target(key, !key.equals("exp-off")));
        }

        @Override
        public List<IngestTarget> active() {
            return List.of(target("exp-a", true), target("exp-b", true));
        }
    };

    static IngestTarget target(String key, boolean active) {
        return new IngestTarget(key, IngestTarget.EXPERIMENT_SCOPE, active, StreamAggregatorTest::armOf, Set.of());
    }

    static Optional<String> armOf(String unitId) {
        int h = Math.floorMod(unitId.hashCode(), 7);
        return h == 0 ? Optional.empty() : Optional.of(h % 2 == 0 ? "control" : "treatment");
    }

    /** A stream: records by stream shard, each shard's in order. */
    record Stream(Map<String, List<StreamRecord>> byShard) {
        List<StreamRecord> all() {
            List<StreamRecord> all = new ArrayList<>();
            byShard.values().forEach(all::addAll);
            return all;
        }
    }

    static IngestEvent exposure(String id, String key, String unit, Instant at, Map<String, BigDecimal> covariates) {
        return new IngestEvent(0, id, key, unit, EventType.EXPOSURE, null, BigDecimal.ZERO, at, false, covariates);
    }

    static IngestEvent metric(String id, String key, String unit, String metric, BigDecimal value, Instant at) {
        return new IngestEvent(0, id, key, unit, EventType.METRIC, metric, value, at, key == null, Map.of());
    }

    /**
     * Units with exposures (some with covariates, some repeated, some to the stopped experiment), keyed metric
     * events after them, metric events of units never exposed, keyless events before and after exposure. Each
     * unit's events keep their order; units interleave at random; a unit's records all go to one stream shard
     * (the raw table is keyed by unit).
     */
    static Stream generate(long seed, int units) {
        Random random = new Random(seed);
        BigDecimal[] values = {new BigDecimal("1"), new BigDecimal("0.5"), new BigDecimal("3.25"), new BigDecimal("-2")};
        List<List<IngestEvent>> perUnit = new ArrayList<>();
        int id = 0;
        for (int u = 0; u < units; u++) {
            String unit = "user-" + u;
            List<IngestEvent> events = new ArrayList<>();
            for (String key : List.of("exp-a", "exp-b", "exp-off")) {
                boolean exposed = random.nextInt(4) > 0;
                Instant exposedAt = T0.plusSeconds(random.nextInt(3600));
                if (exposed) {
                    Map<String, BigDecimal> covariates = random.nextBoolean() ? Map.of("revenue", values[random.nextInt(3)]) : Map.of();
                    events.add(exposure("e" + id++, key, unit, exposedAt, covariates));
                    if (random.nextInt(5) == 0) {
                        events.add(exposure("e" + id++, key, unit, exposedAt.plusSeconds(60), Map.of()));
                    }
                }
                for (int n = random.nextInt(6); n > 0; n--) {
                    events.add(metric("e" + id++, key, unit, METRICS.get(random.nextInt(2)), values[random.nextInt(4)],
                            exposedAt.plusSeconds(random.nextInt(600))));
                }
            }
            for (int n = random.nextInt(5); n > 0; n--) { // keyless: some before a unit's exposures, some after
                events.add(metric("e" + id++, null, unit, METRICS.get(random.nextInt(2)), values[random.nextInt(4)],
                        T0.plusSeconds(random.nextInt(7200))));
            }
            perUnit.add(events);
        }
        Map<String, List<StreamRecord>> byShard = new LinkedHashMap<>();
        SHARDS.forEach(s -> byShard.put(s, new ArrayList<>()));
        BigInteger sequence = FIRST_SEQUENCE;
        List<Integer> remaining = new ArrayList<>();
        for (int u = 0; u < units; u++) {
            remaining.add(u);
        }
        int[] next = new int[units];
        while (!remaining.isEmpty()) {
            int pick = random.nextInt(remaining.size());
            int u = remaining.get(pick);
            IngestEvent e = perUnit.get(u).get(next[u]++);
            sequence = sequence.add(BigInteger.valueOf(1 + random.nextInt(1000)));
            byShard.get(SHARDS.get(u % SHARDS.size())).add(new StreamRecord(sequence, e));
            if (next[u] == perUnit.get(u).size()) {
                remaining.remove(pick);
            }
        }
        return new Stream(byShard);
    }

    /** Per-unit totals straight from the stream (each unit's records in order), summed per variant. */
    static Map<String, AggregateDelta> groundTruth(Stream stream) {
        record Unit(String variant, Instant exposedAt, Map<String, BigDecimal> covariates, Map<String, BigDecimal> totals) {
        }
        Map<String, Unit> units = new LinkedHashMap<>();
        for (StreamRecord r : stream.all()) {
            IngestEvent e = r.event();
            for (String key : e.keyless() ? List.of("exp-a", "exp-b") : List.of(e.key())) {
                if (key.equals("exp-off")) {
                    continue;
                }
                String id = key + "/" + e.unitId();
                Unit unit = units.get(id);
                if (e.type() == EventType.EXPOSURE) {
                    if (unit == null && armOf(e.unitId()).isPresent()) {
                        units.put(id, new Unit(armOf(e.unitId()).get(), e.timestamp(), e.covariates(), new HashMap<>()));
                    }
                } else if (unit != null && !(e.keyless() && unit.exposedAt().isAfter(e.timestamp()))) {
                    unit.totals().merge(e.metric(), e.value(), BigDecimal::add);
                }
            }
        }
        Map<String, AggregateDelta> truth = new HashMap<>();
        units.forEach((id, unit) -> {
            String key = id.substring(0, id.indexOf('/'));
            truth.merge(key + "/" + unit.variant(), new AggregateDelta(1, 0, BigDecimal.ZERO, BigDecimal.ZERO), AggregateDelta::plus);
            for (String m : METRICS) {
                BigDecimal y = unit.totals().getOrDefault(m, BigDecimal.ZERO);
                BigDecimal x = unit.covariates().getOrDefault(m, BigDecimal.ZERO);
                truth.merge(key + "/" + unit.variant() + "#" + m, new AggregateDelta(0, y.signum() > 0 ? 1 : 0, y, y.multiply(y),
                        x, x.multiply(x), x.multiply(y)), AggregateDelta::plus);
            }
        });
        return truth;
    }

    /** The store's aggregates summed over aggregate shards, keyed like {@link #groundTruth}. */
    static Map<String, AggregateDelta> summed(InMemoryStreamFoldStore store) {
        Map<String, AggregateDelta> sums = new HashMap<>();
        store.aggregates.forEach((item, delta) -> {
            String key = item.pk().substring(0, item.pk().indexOf('#'));
            sums.merge(key + "/" + item.sk(), delta, AggregateDelta::plus);
        });
        return sums;
    }

    static void assertEqualSums(Map<String, AggregateDelta> want, Map<String, AggregateDelta> got) {
        Set<String> items = new java.util.TreeSet<>(want.keySet());
        items.addAll(got.keySet());
        for (String item : items) {
            AggregateDelta w = want.getOrDefault(item, AggregateDelta.ZERO);
            AggregateDelta g = got.getOrDefault(item, AggregateDelta.ZERO);
            assertEquals(w.units(), g.units(), item + " units");
            assertEquals(w.positive(), g.positive(), item + " positive");
            assertEquals(0, w.sum().compareTo(g.sum()), item + " sum: want " + w.sum() + " got " + g.sum());
            assertEquals(0, w.sumSquares().compareTo(g.sumSquares()), item + " sumSq: want " + w.sumSquares() + " got " + g.sumSquares());
            assertEquals(0, w.covariateSum().compareTo(g.covariateSum()), item + " covSum");
            assertEquals(0, w.covariateSquares().compareTo(g.covariateSquares()), item + " covSumSq");
            assertEquals(0, w.crossProducts().compareTo(g.crossProducts()), item + " covCross: want " + w.crossProducts() + " got " + g.crossProducts());
        }
    }

    /** Lambda's delivery of one stream shard: batches in order; a failed one retried whole or bisected. */
    static final class Delivery {
        final StreamAggregator aggregator;
        final CrashingStreamFoldStore store;
        final Random random;
        final double crashRate;
        int crashes;
        int bisections;

        Delivery(StreamFoldStore store, long seed, double crashRate) {
            this(store, TARGETS, seed, crashRate);
        }

        Delivery(StreamFoldStore store, IngestTargets targets, long seed, double crashRate) {
            this(store, (java.util.function.Function<CrashingStreamFoldStore, StreamAggregator>)
                    crashing -> new StreamAggregator(crashing, targets), seed, crashRate);
        }

        /** A delivery through the aggregator made on the crashing store (to share its crash point). */
        Delivery(StreamFoldStore store, java.util.function.Function<CrashingStreamFoldStore, StreamAggregator> aggregator,
                 long seed, double crashRate) {
            this.store = new CrashingStreamFoldStore(store);
            this.aggregator = aggregator.apply(this.store);
            this.random = new Random(seed);
            this.crashRate = crashRate;
        }

        void run(Stream stream, int maxBatch) {
            Map<String, Integer> checkpoint = new HashMap<>();
            SHARDS.forEach(s -> checkpoint.put(s, 0));
            while (checkpoint.entrySet().stream().anyMatch(c -> c.getValue() < stream.byShard().get(c.getKey()).size())) {
                String shard = SHARDS.get(random.nextInt(SHARDS.size()));
                List<StreamRecord> records = stream.byShard().get(shard);
                int from = checkpoint.get(shard);
                int to = Math.min(records.size(), from + 1 + random.nextInt(maxBatch));
                if (from < to) {
                    deliver(shard, records.subList(from, to));
                    checkpoint.put(shard, to);
                }
            }
        }

        void deliver(String shard, List<StreamRecord> batch) {
            while (true) {
                if (random.nextDouble() < crashRate) {
                    store.crashAfter(random.nextInt(3 * batch.size() + 3));
                }
                try {
                    aggregator.apply(shard, batch);
                    store.crashAfter(-1);
                    return;
                } catch (CrashingStreamFoldStore.Crash crash) {
                    crashes++;
                    if (batch.size() > 1 && random.nextBoolean()) {
                        bisections++;
                        deliver(shard, batch.subList(0, batch.size() / 2));
                        deliver(shard, batch.subList(batch.size() / 2, batch.size()));
                        return;
                    }
                }
            }
        }
    }

    @Test
    void aStreamFoldedWithoutFailures_givesTheGroundTruth() {
        Stream stream = generate(1, 300);
        InMemoryStreamFoldStore store = new InMemoryStreamFoldStore();
        new Delivery(store, 2, 0).run(stream, 100);

        Map<String, AggregateDelta> truth = groundTruth(stream);
        assertTrue(truth.values().stream().anyMatch(d -> d.crossProducts().signum() != 0), "the traffic has covariates");
        assertEqualSums(truth, summed(store));
    }

    @ParameterizedTest
    @ValueSource(longs = {3, 4, 5, 6, 7})
    void crashesAnywhereWithRetriedAndBisectedBatches_giveTheGroundTruth(long seed) {
        Stream stream = generate(seed, 200);
        InMemoryStreamFoldStore store = new InMemoryStreamFoldStore();
        Delivery delivery = new Delivery(store, seed * 31, 0.5);
        delivery.run(stream, 60);

        assertTrue(delivery.crashes > 10 && delivery.bisections > 0,
                delivery.crashes + " crashes, " + delivery.bisections + " bisections");
        assertEqualSums(groundTruth(stream), summed(store));
    }

    @Test
    void aCrashBetweenTheUnitAndTheAggregateWrites_isFinishedByTheRetryWithoutMovingAUnitAgain() {
        Stream stream = generate(8, 40);
        String shard = SHARDS.get(0);
        List<StreamRecord> batch = stream.byShard().get(shard);
        StreamFold.Result plan = StreamFold.of(shard, batch, TARGETS).apply(Map.of(), null, Map.of());
        InMemoryStreamFoldStore store = new InMemoryStreamFoldStore();
        CrashingStreamFoldStore crashing = new CrashingStreamFoldStore(store);
        StreamAggregator aggregator = new StreamAggregator(crashing, TARGETS);

        crashing.crashAfter(plan.units().size() + 1); // every unit and the decided point, no aggregate
        assertThrows(CrashingStreamFoldStore.Crash.class, () -> aggregator.apply(shard, batch));
        Map<UnitRef, StreamUnit> afterCrash = new HashMap<>(store.units);
        assertEquals(plan.units().size(), afterCrash.size());
        assertTrue(store.aggregates.isEmpty());
        int writesBefore = crashing.writes;
        aggregator.apply(shard, batch);

        assertEquals(afterCrash, store.units, "the retry moved no unit");
        assertEquals(plan.aggregateItems().size(), crashing.writes - writesBefore, "the retry wrote only the aggregate items");
        assertEqualSums(groundTruth(new Stream(Map.of(shard, batch))), summed(store));
        Map<AggregateItem, AggregateDelta> applied = new HashMap<>(store.aggregates);
        aggregator.apply(shard, batch);
        assertEquals(applied, store.aggregates, "a batch applied in full adds nothing when delivered again");
    }

    @Test
    void aUnitExposedOutsideTheStreamBetweenAttempts_keepsARecordThatCountedNowhereCountingNowhere() {
        String shard = SHARDS.get(0);
        String late = unitIn("treatment", 0);
        String other = unitIn("treatment", 1);
        BigInteger s = FIRST_SEQUENCE;
        List<StreamRecord> batch = List.of(
                new StreamRecord(s.add(BigInteger.ONE), exposure("x1", "exp-a", other, T0, Map.of())),
                new StreamRecord(s.add(BigInteger.TWO), metric("m1", "exp-a", late, "purchase", BigDecimal.TEN, T0)),
                new StreamRecord(s.add(BigInteger.valueOf(3)), metric("m2", "exp-a", other, "purchase", BigDecimal.ONE, T0)));
        InMemoryStreamFoldStore store = new InMemoryStreamFoldStore();
        StreamAggregator aggregator = new StreamAggregator(store, TARGETS);
        aggregator.apply(shard, batch); // every write made, but the invocation timed out: Lambda delivers the batch again
        UnitRef lateRef = new UnitRef("exp-a", IngestTarget.EXPERIMENT_SCOPE, late);
        store.exposeOutsideStream(lateRef, new UnitState("treatment", T0.toString(), 1, Map.of()),
                new AggregateItem(AggregateTable.pk("exp-a", "-", Shards.of(late)), AggregateTable.unitsSk("treatment")));
        aggregator.apply(shard, batch);

        StreamUnit lateUnit = store.units.get(lateRef);
        assertNotNull(lateUnit);
        assertEquals(0, lateUnit.state().total("purchase").signum(), "the metric sent before the unit was exposed counts nowhere");
        assertEquals(0, summed(store).get("exp-a/treatment#purchase").sum().compareTo(BigDecimal.ONE),
                "the aggregate holds exactly the other unit's purchase");
        assertEquals(2, summed(store).get("exp-a/treatment").units());
    }

    /** The n-th unit id (from 0) that exp-a puts in this variant. */
    static String unitIn(String variant, int n) {
        for (int i = 0; ; i++) {
            if (armOf("unit-" + i).equals(Optional.of(variant)) && n-- == 0) {
                return "unit-" + i;
            }
        }
    }
}
