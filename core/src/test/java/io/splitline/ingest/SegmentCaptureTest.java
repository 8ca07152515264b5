package io.splitline.ingest;

import static io.splitline.ingest.StreamAggregatorTest.FIRST_SEQUENCE;
import static io.splitline.ingest.StreamAggregatorTest.SHARDS;
import static io.splitline.ingest.StreamAggregatorTest.T0;
import static io.splitline.ingest.StreamAggregatorTest.armOf;
import static io.splitline.ingest.StreamAggregatorTest.assertEqualSums;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.aggregate.SegmentTable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * Segment values captured by the stream fold: first come, first slotted (the first 20 distinct values of a
 * dimension claim a slot, later ones are {@code (other)}, a missing one is {@code (none)}), fixed at the unit's
 * first exposure, and the segment aggregates against a ground truth under crashes, retried and bisected batches.
 */
class SegmentCaptureTest {
    static final List<String> DIMENSIONS = List.of("country", "plan");

    /** exp-seg declares two dimensions and is the only active target. */
    static final IngestTargets TARGETS = new IngestTargets() {
        @Override
        public Optional<IngestTarget> find(String key) {
            return Optional.of(target());
        }

        @Override
        public List<IngestTarget> active() {
            return List.of(target());
        }
    };

    static IngestTarget target() {
        return new IngestTarget("exp-seg", IngestTarget.EXPERIMENT_SCOPE, true, StreamAggregatorTest::armOf, Set.of(),
                DerivedSums.NONE, Set.of(), Set.of(), DIMENSIONS);
    }

    static IngestEvent exposure(String id, String unit, Map<String, String> attributes) {
        return new IngestEvent(0, id, "exp-seg", unit, EventType.EXPOSURE, null, BigDecimal.ZERO, T0, false, Map.of(), attributes);
    }

    static IngestEvent metric(String id, String key, String unit, BigDecimal value) {
        return metric(id, key, unit, value, T0.plusSeconds(5));
    }

    static IngestEvent metric(String id, String key, String unit, BigDecimal value, Instant at) {
        return new IngestEvent(0, id, key, unit, EventType.METRIC, "revenue", value, at, key == null, Map.of());
    }

    @Test
    void theFirstTwentyDistinctValuesClaimASlot_laterOnesAreOther_aMissingOneIsNone() {
        List<StreamRecord> batch = new ArrayList<>();
        BigInteger s = FIRST_SEQUENCE;
        List<String> units = exposedUnits(32);
        for (int i = 0; i < 30; i++) { // c0 … c29 in stream order; c0 twice
            s = s.add(BigInteger.ONE);
            batch.add(new StreamRecord(s, exposure("x" + i, units.get(i), Map.of("country", "c" + i, "plan", "pro"))));
        }
        batch.add(new StreamRecord(s.add(BigInteger.ONE), exposure("x30", units.get(30), Map.of("country", "c0"))));
        batch.add(new StreamRecord(s.add(BigInteger.TWO), exposure("x31", units.get(31), Map.of("country", " "))));
        InMemoryStreamFoldStore store = new InMemoryStreamFoldStore();
        new StreamAggregator(store, TARGETS).apply(SHARDS.get(0), batch.subList(0, 12));
        new StreamAggregator(store, TARGETS).apply(SHARDS.get(0), batch.subList(12, batch.size()));

        Set<String> firstTwenty = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            firstTwenty.add("c" + i);
        }
        assertEquals(firstTwenty, store.slots.get(new SlotSet("exp-seg", "-", "country")));
        assertEquals(Set.of("pro"), store.slots.get(new SlotSet("exp-seg", "-", "plan")));
        assertEquals("c19", segments(store, units.get(19)).get("country"));
        assertEquals(SegmentValues.OTHER, segments(store, units.get(20)).get("country"));
        assertEquals(SegmentValues.OTHER, segments(store, units.get(29)).get("country"));
        assertEquals("c0", segments(store, units.get(30)).get("country"), "a slotted value is found again");
        assertEquals(Map.of("country", SegmentValues.NONE, "plan", SegmentValues.NONE), segments(store, units.get(31)));
        Map<String, Long> unitsByCountry = new HashMap<>();
        store.aggregates.forEach((item, delta) -> {
            if (item.pk().contains("#seg#") && delta.units() > 0) {
                SegmentTable.Parsed p = SegmentTable.parse(item.sk());
                if (p.dimension().equals("country")) {
                    unitsByCountry.merge(p.value(), delta.units(), Long::sum);
                }
            }
        });
        assertEquals(10L, unitsByCountry.get(SegmentValues.OTHER));
        assertEquals(2L, unitsByCountry.get("c0"));
        assertEquals(1L, unitsByCountry.get(SegmentValues.NONE));
        assertEquals(22, unitsByCountry.size(), "20 slots, (other) and (none)");
    }

    @Test
    void aUnitKeepsTheValuesOfItsFirstExposure_andItsMetricsMoveThoseSegments() {
        String unit = exposedUnits(1).get(0);
        BigInteger s = FIRST_SEQUENCE;
        List<StreamRecord> batch = List.of(
                new StreamRecord(s.add(BigInteger.ONE), exposure("x1", unit, Map.of("country", "de", "plan", "free"))),
                new StreamRecord(s.add(BigInteger.TWO), exposure("x2", unit, Map.of("country", "fr", "plan", "pro"))),
                new StreamRecord(s.add(BigInteger.valueOf(3)), metric("m1", "exp-seg", unit, new BigDecimal("4"))),
                new StreamRecord(s.add(BigInteger.valueOf(4)), metric("m2", null, unit, new BigDecimal("1.5"))));
        InMemoryStreamFoldStore store = new InMemoryStreamFoldStore();
        StreamAggregator aggregator = new StreamAggregator(store, TARGETS);
        aggregator.apply(SHARDS.get(0), batch.subList(0, 2));
        aggregator.apply(SHARDS.get(0), batch.subList(2, 4));

        assertEquals(Map.of("country", "de", "plan", "free"), segments(store, unit));
        assertEquals(Set.of("de"), store.slots.get(new SlotSet("exp-seg", "-", "country")), "a later exposure claims nothing");
        Map<String, AggregateDelta> bySegment = segmentSums(store);
        String variant = armOf(unit).orElseThrow();
        assertEquals(0, bySegment.get("country=de/" + variant + "#revenue").sum().compareTo(new BigDecimal("5.5")));
        assertEquals(0, bySegment.get("plan=free/" + variant + "#revenue").sum().compareTo(new BigDecimal("5.5")));
        assertEquals(Set.of("country=de/" + variant, "country=de/" + variant + "#revenue", "plan=free/" + variant,
                "plan=free/" + variant + "#revenue"), bySegment.keySet());
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14})
    void crashesAnywhereWithRetriedAndBisectedBatches_giveTheSegmentGroundTruth(long seed) {
        StreamAggregatorTest.Stream stream = generate(seed, 160);
        InMemoryStreamFoldStore store = new InMemoryStreamFoldStore();
        StreamAggregatorTest.Delivery delivery = new StreamAggregatorTest.Delivery(store, TARGETS, seed * 17, 0.5);
        delivery.run(stream, 40);

        assertTrue(delivery.crashes > 5 && delivery.bisections > 0,
                delivery.crashes + " crashes, " + delivery.bisections + " bisections");
        Set<String> countries = store.slots.get(new SlotSet("exp-seg", "-", "country"));
        assertEquals(SegmentValues.SLOTS, countries.size(), "30 values were seen: every slot is taken, no more");
        Map<SlotSet, Set<String>> slots = Map.copyOf(store.slots);
        Map<String, AggregateDelta> truth = groundTruth(stream, slots);
        assertTrue(truth.containsKey("country=" + SegmentValues.OTHER + "/treatment"), "some units came after the slots were taken");
        assertTrue(truth.containsKey("country=" + SegmentValues.NONE + "/control"), "some exposures carry no country");
        assertEqualSums(truth, segmentSums(store));
    }

    /**
     * Units exposed to exp-seg with a country out of 30 (one exposure in eight without one) and a plan, some
     * exposed again with other values, keyed and keyless revenue events; units interleave over two stream shards.
     */
    static StreamAggregatorTest.Stream generate(long seed, int count) {
        Random random = new Random(seed);
        List<String> units = exposedUnits(count);
        List<List<IngestEvent>> perUnit = new ArrayList<>();
        int id = 0;
        for (String unit : units) {
            List<IngestEvent> events = new ArrayList<>();
            for (int n = random.nextInt(4); n > 0; n--) { // keyless, before the exposure (also in time): counts nowhere
                events.add(metric("e" + id++, null, unit, BigDecimal.ONE, T0.minusSeconds(60)));
            }
            for (int n = 1 + random.nextInt(2); n > 0; n--) {
                Map<String, String> attributes = new HashMap<>();
                if (random.nextInt(8) > 0) {
                    attributes.put("country", "c" + random.nextInt(30));
                }
                attributes.put("plan", random.nextBoolean() ? "free" : "pro");
                events.add(exposure("e" + id++, unit, attributes));
            }
            for (int n = random.nextInt(5); n > 0; n--) {
                events.add(metric("e" + id++, random.nextBoolean() ? "exp-seg" : null, unit,
                        new BigDecimal(random.nextInt(7) - 2)));
            }
            perUnit.add(events);
        }
        Map<String, List<StreamRecord>> byShard = new LinkedHashMap<>();
        SHARDS.forEach(s -> byShard.put(s, new ArrayList<>()));
        BigInteger sequence = FIRST_SEQUENCE;
        int[] next = new int[count];
        List<Integer> remaining = new ArrayList<>();
        for (int u = 0; u < count; u++) {
            remaining.add(u);
        }
        while (!remaining.isEmpty()) {
            int pick = random.nextInt(remaining.size());
            int u = remaining.get(pick);
            sequence = sequence.add(BigInteger.valueOf(1 + random.nextInt(100)));
            byShard.get(SHARDS.get(u % SHARDS.size())).add(new StreamRecord(sequence, perUnit.get(u).get(next[u]++)));
            if (next[u] == perUnit.get(u).size()) {
                remaining.remove(pick);
            }
        }
        return new StreamAggregatorTest.Stream(byShard);
    }

    /**
     * Per-unit totals straight from the stream, summed per segment. Which values hold the slots depends on the
     * order shards were delivered in, so the truth takes the final slot sets as given; a unit's value is then its
     * first exposure's attribute if that value holds a slot, else (other) (sets only grow and a full one never
     * changes, so a value slotted at the end was slotted when any unit first showed it).
     */
    static Map<String, AggregateDelta> groundTruth(StreamAggregatorTest.Stream stream, Map<SlotSet, Set<String>> slots) {
        record Unit(String variant, Map<String, String> segments, BigDecimal[] total) {
        }
        Map<String, Unit> units = new LinkedHashMap<>();
        for (StreamRecord r : stream.all()) {
            IngestEvent e = r.event();
            Unit unit = units.get(e.unitId());
            if (e.type() == EventType.EXPOSURE && unit == null) {
                Map<String, String> segments = new HashMap<>();
                for (String d : DIMENSIONS) {
                    String value = e.attributes().get(d);
                    segments.put(d, value == null ? SegmentValues.NONE
                            : slots.getOrDefault(new SlotSet("exp-seg", "-", d), Set.of()).contains(value) ? value : SegmentValues.OTHER);
                }
                units.put(e.unitId(), new Unit(armOf(e.unitId()).orElseThrow(), segments, new BigDecimal[] {BigDecimal.ZERO}));
            } else if (e.type() == EventType.METRIC && unit != null) {
                unit.total()[0] = unit.total()[0].add(e.value());
            }
        }
        Map<String, AggregateDelta> truth = new HashMap<>();
        units.values().forEach(unit -> unit.segments().forEach((d, v) -> {
            BigDecimal y = unit.total()[0];
            truth.merge(d + "=" + v + "/" + unit.variant(), new AggregateDelta(1, 0, BigDecimal.ZERO, BigDecimal.ZERO), AggregateDelta::plus);
            truth.merge(d + "=" + v + "/" + unit.variant() + "#revenue",
                    new AggregateDelta(0, y.signum() > 0 ? 1 : 0, y, y.multiply(y)), AggregateDelta::plus);
        }));
        return truth;
    }

    /** The store's segment aggregates summed over shards, keyed {@code dimension=value/variant[#metric]}. */
    static Map<String, AggregateDelta> segmentSums(InMemoryStreamFoldStore store) {
        Map<String, AggregateDelta> sums = new HashMap<>();
        store.aggregates.forEach((item, delta) -> {
            if (item.pk().contains("#seg#")) {
                SegmentTable.Parsed p = SegmentTable.parse(item.sk());
                sums.merge(p.dimension() + "=" + p.value() + "/" + p.variantSk(), delta, AggregateDelta::plus);
            }
        });
        return sums;
    }

    static Map<String, String> segments(InMemoryStreamFoldStore store, String unit) {
        return store.units.get(new UnitRef("exp-seg", "-", unit)).segments();
    }

    /** {@code count} unit ids that exp-seg puts in some variant. */
    static List<String> exposedUnits(int count) {
        List<String> units = new ArrayList<>();
        for (int i = 0; units.size() < count; i++) {
            if (armOf("u" + i).isPresent()) {
                units.add("u" + i);
            }
        }
        return units;
    }
}
