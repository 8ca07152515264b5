package io.splitline.ingest;

import static io.splitline.ingest.StreamAggregatorTest.assertEqualSums;
import static io.splitline.ingest.StreamAggregatorTest.exposure;
import static io.splitline.ingest.StreamAggregatorTest.metric;
import static io.splitline.ingest.StreamAggregatorTest.summed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Derived CUPED covariates through the stream fold: the lookback window's edges, explicit covariates winning,
 * the history's bound, and exactly-once against an independent ground truth (x computed straight from each
 * unit's raw keyless events by the documented rule) with crashes anywhere, retried and bisected batches.
 */
class DerivedCovariatesTest {
    static final Instant T0 = StreamAggregatorTest.T0; // 2026-11-24T12:00:00Z
    static final String SHARD = StreamAggregatorTest.SHARDS.get(0);
    static final Map<String, CovariateLookback> LOOKBACKS = Map.of(
            "exp-a", new CovariateLookback(14, Set.of("purchase", "revenue")),
            "exp-b", new CovariateLookback(3, Set.of("revenue")));

    /** exp-a and exp-b run, with the lookbacks above. */
    static final IngestTargets TARGETS = new IngestTargets() {
        @Override
        public Optional<IngestTarget> find(String key) {
            return Optional.of(StreamAggregatorTest.target(key, true));
        }

        @Override
        public List<IngestTarget> active() {
            return List.of(StreamAggregatorTest.target("exp-a", true), StreamAggregatorTest.target("exp-b", true));
        }

        @Override
        public Map<String, CovariateLookback> lookbacks() {
            return LOOKBACKS;
        }
    };

    final InMemoryStreamFoldStore units = new InMemoryStreamFoldStore();
    final InMemoryUnitHistoryStore histories = new InMemoryUnitHistoryStore();
    final StreamAggregator aggregator = new StreamAggregator(units, histories, TARGETS);
    BigInteger sequence = StreamAggregatorTest.FIRST_SEQUENCE;

    StreamRecord next(IngestEvent e) {
        sequence = sequence.add(BigInteger.TEN);
        return new StreamRecord(sequence, e);
    }

    IngestEvent keyless(String unit, String metric, String value, Instant at) {
        return metric("k" + sequence, null, unit, metric, new BigDecimal(value), at);
    }

    Map<String, BigDecimal> covariatesOf(String key, String unit) {
        return units.units.get(new UnitRef(key, IngestTarget.EXPERIMENT_SCOPE, unit)).state().covariates();
    }

    @Test
    void theWindowIsTheLookbackDaysBeforeTheExposureDay_inclusiveOfItsFirstInstantExclusiveOfTheExposureDay() {
        String unit = StreamAggregatorTest.unitIn("treatment", 0);
        Instant exposedAt = T0; // day 2026-11-24; exp-a's window is 2026-11-10T00:00Z .. 2026-11-24T00:00Z
        aggregator.apply(SHARD, List.of(
                next(keyless(unit, "revenue", "1", exposedAt.minus(Duration.ofDays(14)))),          // exactly exposedAt − 14 d: in
                next(keyless(unit, "revenue", "2", Instant.parse("2026-11-10T00:00:00Z"))),          // the window's first instant: in
                next(keyless(unit, "revenue", "4", Instant.parse("2026-11-09T23:59:59.999Z"))),      // the instant before: out
                next(keyless(unit, "revenue", "8", Instant.parse("2026-11-23T23:59:59.999Z"))),      // the window's last instant: in
                next(keyless(unit, "revenue", "16", Instant.parse("2026-11-24T00:00:00Z")))));       // the exposure's day: out
        aggregator.apply(SHARD, List.of(
                next(exposure("x1", "exp-a", unit, exposedAt, Map.of())),
                next(keyless(unit, "revenue", "32", exposedAt)),                                      // at exposure: y, not x
                next(keyless(unit, "revenue", "64", exposedAt.minus(Duration.ofDays(2)))),           // before, arriving late in the batch: in
                next(keyless(unit, "purchase", "1", exposedAt.plusSeconds(5)))));                    // after: y
        aggregator.apply(SHARD, List.of(next(keyless(unit, "revenue", "128", exposedAt.minus(Duration.ofDays(3)))))); // a later batch: out

        assertEquals(Map.of("revenue", new BigDecimal("75")), covariatesOf("exp-a", unit), "1 + 2 + 8 + 64");
        StreamUnit stored = units.units.get(new UnitRef("exp-a", IngestTarget.EXPERIMENT_SCOPE, unit));
        assertEquals(0, new BigDecimal("32").compareTo(stored.state().total("revenue")), "only the event at exposure counts as y");
        AggregateDelta revenue = summed(units).get("exp-a/treatment#revenue");
        assertEquals(0, new BigDecimal("75").compareTo(revenue.covariateSum()));
        assertEquals(0, new BigDecimal("5625").compareTo(revenue.covariateSquares()));
        assertEquals(0, new BigDecimal("2400").compareTo(revenue.crossProducts()), "x·y = 75 · 32");
    }

    @Test
    void anExplicitCovariateWinsOverTheDerivedOneOfItsMetric_andOnlyTheExperimentsMetricsAreDerived() {
        String unit = StreamAggregatorTest.unitIn("control", 0);
        aggregator.apply(SHARD, List.of(
                next(keyless(unit, "revenue", "5", T0.minus(Duration.ofDays(1)))),
                next(keyless(unit, "purchase", "2", T0.minus(Duration.ofDays(1)))),
                next(exposure("x1", "exp-a", unit, T0, Map.of("revenue", new BigDecimal("9")))),
                next(exposure("x2", "exp-b", unit, T0, Map.of()))));

        assertEquals(Map.of("revenue", new BigDecimal("9"), "purchase", new BigDecimal("2")), covariatesOf("exp-a", unit));
        assertEquals(Map.of("revenue", new BigDecimal("5")), covariatesOf("exp-b", unit), "exp-b derives revenue only");
    }

    @Test
    void theHistoryKeepsTheLongestLookbackPlusTheCurrentDay_andTwentyMetrics() {
        Set<String> many = IntStream.range(0, 25).mapToObj(i -> String.format("m%02d", i)).collect(Collectors.toSet());
        IngestTargets wide = new IngestTargets() {
            @Override
            public Optional<IngestTarget> find(String key) {
                return Optional.empty();
            }

            @Override
            public Map<String, CovariateLookback> lookbacks() {
                return Map.of("exp-a", new CovariateLookback(14, many), "exp-b", new CovariateLookback(3, Set.of()));
            }
        };
        StreamAggregator wideAggregator = new StreamAggregator(units, histories, wide);
        List<StreamRecord> batch = new ArrayList<>();
        for (int day = 0; day < 30; day++) {
            for (String m : many) {
                batch.add(next(keyless("u1", m, "1", T0.minus(Duration.ofDays(29 - day)))));
            }
        }
        wideAggregator.apply(SHARD, batch);

        UnitHistory history = histories.histories.get("u1");
        assertEquals(15, history.days().size(), "14 lookback days and the newest");
        assertEquals(UnitHistory.day(T0), history.days().lastKey());
        assertEquals(IntStream.range(0, 20).mapToObj(i -> String.format("m%02d", i)).collect(Collectors.toSet()),
                history.days().lastEntry().getValue().keySet(), "the first twenty metrics by name");
        assertEquals(batch.get(batch.size() - 1).sequence(), history.sequence());
    }

    @Test
    void aBatchDeliveredAgainAddsNothingToTheHistory() {
        List<StreamRecord> batch = List.of(next(keyless("u1", "revenue", "3", T0.minus(Duration.ofDays(1)))),
                next(keyless("u1", "revenue", "4", T0.minus(Duration.ofDays(1)))));
        aggregator.apply(SHARD, batch);
        aggregator.apply(SHARD, batch);
        aggregator.apply(SHARD, batch.subList(1, 2));

        UnitHistory history = histories.histories.get("u1");
        assertEquals(Map.of("revenue", new BigDecimal("7")), history.days().get(UnitHistory.day(T0.minus(Duration.ofDays(1)))));
        assertEquals(1, history.version(), "written once");
    }

    /**
     * Units with keyless events over the 20 days before their exposures (some on the exposure's own day), then
     * exposures to exp-a and exp-b (some with an explicit revenue covariate), then keyed and keyless events after
     * exposure. Each unit's events keep their order; units interleave at random over two stream shards.
     */
    static StreamAggregatorTest.Stream generate(long seed, int count) {
        Random random = new Random(seed);
        String[] values = {"1", "0.5", "3.25", "-2", "7"};
        List<List<IngestEvent>> perUnit = new ArrayList<>();
        int id = 0;
        for (int u = 0; u < count; u++) {
            String unit = "user-" + u;
            List<IngestEvent> events = new ArrayList<>();
            for (int n = random.nextInt(8); n > 0; n--) {
                Instant at = T0.minus(Duration.ofDays(random.nextInt(21))).minusSeconds(random.nextInt(43_200));
                events.add(metric("e" + id++, null, unit, StreamAggregatorTest.METRICS.get(random.nextInt(2)),
                        new BigDecimal(values[random.nextInt(values.length)]), at));
            }
            for (String key : List.of("exp-a", "exp-b")) {
                if (random.nextInt(5) > 0) {
                    Map<String, BigDecimal> explicit = random.nextInt(4) == 0 ? Map.of("revenue", new BigDecimal(values[random.nextInt(3)])) : Map.of();
                    events.add(exposure("e" + id++, key, unit, T0.plusSeconds(random.nextInt(3600)), explicit));
                }
            }
            for (int n = random.nextInt(5); n > 0; n--) {
                String key = random.nextBoolean() ? null : "exp-a";
                events.add(metric("e" + id++, key, unit, StreamAggregatorTest.METRICS.get(random.nextInt(2)),
                        new BigDecimal(values[random.nextInt(values.length)]), T0.plusSeconds(3600 + random.nextInt(3600))));
            }
            perUnit.add(events);
        }
        Map<String, List<StreamRecord>> byShard = new LinkedHashMap<>();
        StreamAggregatorTest.SHARDS.forEach(s -> byShard.put(s, new ArrayList<>()));
        BigInteger sequence = StreamAggregatorTest.FIRST_SEQUENCE;
        int[] next = new int[count];
        List<Integer> remaining = new ArrayList<>(IntStream.range(0, count).boxed().toList());
        remaining.removeIf(u -> perUnit.get(u).isEmpty());
        while (!remaining.isEmpty()) {
            int pick = random.nextInt(remaining.size());
            int u = remaining.get(pick);
            sequence = sequence.add(BigInteger.valueOf(1 + random.nextInt(1000)));
            byShard.get(StreamAggregatorTest.SHARDS.get(u % 2)).add(new StreamRecord(sequence, perUnit.get(u).get(next[u]++)));
            if (next[u] == perUnit.get(u).size()) {
                remaining.remove(pick);
            }
        }
        return new StreamAggregatorTest.Stream(byShard);
    }

    /**
     * Per (experiment, unit): x from the unit's raw keyless events by the rule (the lookback's whole UTC days
     * before the exposure's day; explicit wins), y its events at or after exposure; summed per variant and metric.
     */
    static Map<String, AggregateDelta> groundTruth(StreamAggregatorTest.Stream stream) {
        Map<String, List<IngestEvent>> byUnit = new LinkedHashMap<>();
        stream.all().forEach(r -> byUnit.computeIfAbsent(r.event().unitId(), u -> new ArrayList<>()).add(r.event()));
        Map<String, AggregateDelta> truth = new HashMap<>();
        byUnit.forEach((unit, events) -> {
            Optional<String> arm = StreamAggregatorTest.armOf(unit);
            for (String key : List.of("exp-a", "exp-b")) {
                Optional<IngestEvent> exposure = events.stream().filter(e -> key.equals(e.key()) && e.type() == EventType.EXPOSURE).findFirst();
                if (arm.isEmpty() || exposure.isEmpty()) {
                    continue;
                }
                Instant exposedAt = exposure.get().timestamp();
                Instant from = exposedAt.truncatedTo(java.time.temporal.ChronoUnit.DAYS).minus(Duration.ofDays(LOOKBACKS.get(key).days()));
                Instant to = exposedAt.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
                String variant = arm.get();
                truth.merge(key + "/" + variant, new AggregateDelta(1, 0, BigDecimal.ZERO, BigDecimal.ZERO), AggregateDelta::plus);
                for (String m : StreamAggregatorTest.METRICS) {
                    BigDecimal x = BigDecimal.ZERO;
                    BigDecimal y = BigDecimal.ZERO;
                    for (IngestEvent e : events) {
                        if (e.type() != EventType.METRIC || !m.equals(e.metric())) {
                            continue;
                        }
                        if (e.keyless() && LOOKBACKS.get(key).metrics().contains(m) && !e.timestamp().isBefore(from) && e.timestamp().isBefore(to)) {
                            x = x.add(e.value());
                        }
                        if ((e.keyless() || key.equals(e.key())) && !e.timestamp().isBefore(exposedAt)) {
                            y = y.add(e.value());
                        }
                    }
                    x = exposure.get().covariates().getOrDefault(m, x);
                    truth.merge(key + "/" + variant + "#" + m, new AggregateDelta(0, y.signum() > 0 ? 1 : 0, y, y.multiply(y),
                            x, x.multiply(x), x.multiply(y)), AggregateDelta::plus);
                }
            }
        });
        return truth;
    }

    /** Lambda's delivery through an aggregator whose history writes can crash like its other writes. */
    static StreamAggregatorTest.Delivery delivery(StreamFoldStore units, UnitHistoryStore histories, long seed, double crashRate) {
        return new StreamAggregatorTest.Delivery(units, (java.util.function.Function<CrashingStreamFoldStore, StreamAggregator>)
                crashing -> new StreamAggregator(crashing, new CrashingUnitHistoryStore(histories, crashing), TARGETS), seed, crashRate);
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14})
    void crashesAnywhereWithRetriedAndBisectedBatches_giveTheDerivedCovariatesOfTheGroundTruth(long seed) {
        StreamAggregatorTest.Stream stream = generate(seed, 400);
        InMemoryStreamFoldStore store = new InMemoryStreamFoldStore();
        StreamAggregatorTest.Delivery delivery = delivery(store, new InMemoryUnitHistoryStore(), seed * 17, 0.5);
        delivery.run(stream, 40);

        Map<String, AggregateDelta> truth = groundTruth(stream);
        assertTrue(delivery.crashes > 10 && delivery.bisections > 0, delivery.crashes + " crashes, " + delivery.bisections + " bisections");
        assertTrue(truth.get("exp-b/control#revenue").covariateSum().signum() != 0
                && truth.get("exp-a/treatment#purchase").crossProducts().signum() != 0, "the traffic derives covariates");
        assertEqualSums(truth, summed(store));
    }
}
