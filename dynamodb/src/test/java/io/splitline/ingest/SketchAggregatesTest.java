package io.splitline.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.devkit.ResendSchedule;
import io.splitline.json.Json;
import io.splitline.stats.SketchBin;
import io.splitline.store.TableNames;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import static io.splitline.ingest.IngestGroundTruthTest.CLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sketch bin counters of a quantile metric (event values) and of a percentile-capped metric (current unit
 * totals, a unit's bin moving as its total does), written by ingest as ADD updates in the aggregate items and
 * merged over the shards by the reader, against a plain-Java ground truth: with every event sent 1–4 times by
 * clients whose requests are in flight together, and with one unit's many distinct values in one stream batch,
 * which the fold spreads over marker steps so that no update carries more than
 * {@link StreamFoldStore#MAX_BINS_PER_UPDATE} counters.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class SketchAggregatesTest {
    private static final String LATENCY = "latency";
    private static final String REVENUE = "revenue";
    private static final List<String> VARIANTS = List.of("control", "treatment");
    private static final int CLIENTS = 4;

    @Test
    void concurrentResends_countEveryValueAndEveryUnitTotalOnce(LocalTables local) throws Exception {
        Random random = new Random(21);
        String key = "sketch";
        Truth truth = new Truth();
        List<ObjectNode> exposures = new ArrayList<>();
        List<ObjectNode> metrics = new ArrayList<>();
        for (int u = 0; u < 40; u++) {
            exposures.add(event(key, "x" + u, "user-" + u, null, null));
        }
        for (int i = 0; i < 300; i++) {
            String unit = "user-" + random.nextInt(40);
            boolean latency = random.nextBoolean();
            BigDecimal value = latency
                    ? BigDecimal.valueOf(Math.exp(4 + random.nextGaussian())).setScale(3, java.math.RoundingMode.HALF_UP)
                    : BigDecimal.valueOf(random.nextInt(30_000) - 5_000, 2); // refunds too: totals cross 0 and move down
            metrics.add(event(key, "m" + i, unit, latency ? LATENCY : REVENUE, value));
            truth.add(unit, latency ? LATENCY : REVENUE, value);
        }
        ResendSchedule<ObjectNode> schedule = new ResendSchedule<ObjectNode>(CLIENTS)
                .then(exposures, 20, random)
                .then(metrics, 80, random);
        TableNames tables = TableNames.fromLogicalIds(local.names());
        AtomicInteger maxBins = new AtomicInteger();

        schedule.run(client -> {
            StreamIngest service = service(local, tables, key, maxBins);
            return request -> {
                for (int attempt = 0; attempt < 20; attempt++) {
                    try {
                        return service.send(body(request)).accepted();
                    } catch (IngestContentionException busy) {
                        // 503: re-send the same batch, as a client does
                    }
                }
                throw new AssertionError("still 503 after 20 sends");
            };
        });
        service(local, tables, key, maxBins).drain();

        truth.assertEquals(new DynamoDbAggregateReader(local.client(), tables.aggregates()).read(key, "-"));
        assertTrue(maxBins.get() <= StreamFoldStore.MAX_BINS_PER_UPDATE, "counters per update: " + maxBins.get());
    }

    @Test
    void oneUnitsManyDistinctValuesInOneStreamBatch_areSpreadOverMarkerSteps_withinTheCounterBound(LocalTables local) {
        String key = "many-bins";
        Truth truth = new Truth();
        List<ObjectNode> events = new ArrayList<>();
        events.add(event(key, "x", "heavy", null, null));
        for (int i = 0; i < 90; i++) {
            BigDecimal value = BigDecimal.valueOf(1.05).pow(i).setScale(6, java.math.RoundingMode.HALF_UP); // 90 distinct bins
            events.add(event(key, "l" + i, "heavy", LATENCY, value));
            events.add(event(key, "r" + i, "heavy", REVENUE, value));
            truth.add("heavy", LATENCY, value);
            truth.add("heavy", REVENUE, value);
        }
        TableNames tables = TableNames.fromLogicalIds(local.names());
        AtomicInteger maxBins = new AtomicInteger();

        StreamIngest service = service(local, tables, key, maxBins);
        IngestResult result = service.send(body(events));
        assertEquals(events.size(), service.drain(), "one stream batch");

        assertEquals(events.size(), result.accepted());
        truth.assertEquals(new DynamoDbAggregateReader(local.client(), tables.aggregates()).read(key, "-"));
        assertTrue(maxBins.get() <= StreamFoldStore.MAX_BINS_PER_UPDATE && maxBins.get() > StreamFoldStore.MAX_BINS_PER_UPDATE / 2,
                "the bound was reached, not passed: " + maxBins.get());
    }

    /** Design B end to end, on a fold store that records the most counters any aggregate update carried. */
    private static StreamIngest service(LocalTables local, TableNames tables, String key, AtomicInteger maxBins) {
        StreamFoldStore dynamo = new DynamoDbStreamFoldStore(local.client(), tables);
        StreamFoldStore recording = new StreamFoldStore() {
            @Override
            public Map<UnitRef, StreamUnit> loadUnits(Collection<UnitRef> refs) {
                return dynamo.loadUnits(refs);
            }

            @Override
            public boolean writeUnit(StreamFold.UnitWrite write) {
                return dynamo.writeUnit(write);
            }

            @Override
            public BigInteger decidedThrough(String streamShard) {
                return dynamo.decidedThrough(streamShard);
            }

            @Override
            public void markDecided(String streamShard, BigInteger sequence) {
                dynamo.markDecided(streamShard, sequence);
            }

            @Override
            public Map<AggregateItem, BigInteger> appliedMarkers(Collection<AggregateItem> items, String streamShard) {
                return dynamo.appliedMarkers(items, streamShard);
            }

            @Override
            public boolean addIfMarker(AggregateItem item, String streamShard, BigInteger expected, BigInteger marker,
                                       AggregateDelta delta) {
                maxBins.accumulateAndGet(delta.bins().size(), Math::max);
                return dynamo.addIfMarker(item, streamShard, expected, marker, delta);
            }

            @Override
            public Map<SlotSet, java.util.Set<String>> loadSlots(Collection<SlotSet> sets) {
                return dynamo.loadSlots(sets);
            }

            @Override
            public boolean claimSlot(SlotSet set, String value, int slots) {
                return dynamo.claimSlot(set, value, slots);
            }
        };
        IngestTarget target = new IngestTarget(key, IngestTarget.EXPERIMENT_SCOPE, true,
                unit -> SimulatedTraffic.armOf(unit, VARIANTS), Set.of(), DerivedSums.NONE, Set.of(LATENCY), Set.of(REVENUE));
        return new StreamIngest(local, local.client(), recording, k -> k.equals(key) ? Optional.of(target) : Optional.empty(),
                d -> { }, CLOCK);
    }

    /** The sketches by the ground truth: every distinct latency value's bin, and every unit's final revenue total's. */
    private static final class Truth {
        final Map<String, Map<SketchBin, Long>> values = new TreeMap<>();
        final Map<String, BigDecimal> revenue = new TreeMap<>();

        void add(String unit, String metric, BigDecimal value) {
            if (metric.equals(LATENCY)) {
                values.computeIfAbsent(variant(unit), v -> new HashMap<>()).merge(SketchBin.of(value), 1L, Long::sum);
            } else {
                revenue.merge(unit, value, BigDecimal::add);
            }
        }

        void assertEquals(Map<String, VariantAggregates> got) {
            Map<String, Map<SketchBin, Long>> totals = new TreeMap<>();
            revenue.forEach((unit, total) -> {
                if (total.signum() != 0) {
                    totals.computeIfAbsent(variant(unit), v -> new HashMap<>()).merge(SketchBin.of(total), 1L, Long::sum);
                }
            });
            values.forEach((variant, bins) -> org.junit.jupiter.api.Assertions.assertEquals(bins,
                    got.get(variant).valueSketches().get(LATENCY).counts(), variant + " latency bins"));
            totals.forEach((variant, bins) -> {
                org.junit.jupiter.api.Assertions.assertEquals(bins, got.get(variant).totalSketches().get(REVENUE),
                        variant + " revenue total bins");
            });
        }

        private static String variant(String unit) {
            return SimulatedTraffic.armOf(unit, VARIANTS).orElseThrow();
        }
    }

    private static ObjectNode event(String key, String id, String unit, String metric, BigDecimal value) {
        ObjectNode e = Json.object();
        e.put("eventId", id);
        e.put("key", key);
        e.put("unitId", unit);
        e.put("type", metric == null ? "exposure" : "metric");
        if (metric != null) {
            e.put("metric", metric);
            e.put("value", value);
        }
        e.put("timestamp", "2026-11-24T11:00:00Z");
        return e;
    }

    private static ObjectNode body(List<ObjectNode> events) {
        ObjectNode body = Json.object();
        body.putArray("events").addAll(events);
        return body;
    }
}
