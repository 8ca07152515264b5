package io.splitline.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.json.Json;
import io.splitline.stats.MetricAggregate;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Generated event traffic with its ground truth computed in plain Java: which events count and what
 * every aggregate must be. Exposures are sent before metric events (a metric for a not-yet-exposed
 * unit is ignored by design); everything else is shuffled, duplicated and sent in random batches.
 */
final class SimulatedTraffic {
    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    static final List<String> METRICS = List.of("purchase", "revenue", "refund");

    final List<ObjectNode> exposures = new ArrayList<>();
    final List<ObjectNode> metricEvents = new ArrayList<>();
    /** key → variant → expected totals. */
    final Map<String, Map<String, VariantAggregates>> expected = new TreeMap<>();
    final Map<String, IngestTarget> targets = new HashMap<>();
    /** Idempotency keys ({@code key#eventId}) of the distinct events that must end up stored. */
    final Set<String> countableIds = new TreeSet<>();
    int distinctCountable;
    int distinctIgnored;

    /** Arm of a unit: a stable function of the unit id, as the hash is for real experiments. */
    static Optional<String> armOf(String unitId, List<String> variants) {
        return Optional.of(variants.get(Math.floorMod(unitId.hashCode() * 31 + 7, variants.size())));
    }

    static SimulatedTraffic generate(long seed, List<String> keys, int units, int metricEventsPerKey, double duplicateShare) {
        Random random = new Random(seed);
        SimulatedTraffic t = new SimulatedTraffic();
        for (String key : keys) {
            List<String> variants = key.hashCode() % 2 == 0 ? List.of("control", "treatment") : List.of("control", "b", "c");
            t.targets.put(key, new IngestTarget(key, IngestTarget.EXPERIMENT_SCOPE, true,
                    unit -> armOf(unit, variants), Set.of("refund")));
            Map<String, Map<String, BigDecimal>> totalsByUnit = new HashMap<>();
            List<String> exposed = new ArrayList<>();
            for (int u = 0; u < units; u++) {
                String unit = "user-" + u;
                if (random.nextDouble() < 0.9) {
                    exposed.add(unit);
                    totalsByUnit.put(unit, new HashMap<>());
                    t.exposures.add(event(key + "-x-" + u, key, unit, "exposure", null, null, random));
                    t.countableIds.add(key + "#" + key + "-x-" + u);
                    t.distinctCountable++;
                }
            }
            for (int i = 0; i < metricEventsPerKey; i++) {
                String unit = "user-" + random.nextInt(units);
                String metric = METRICS.get(random.nextInt(METRICS.size()));
                BigDecimal value = switch (metric) {
                    case "purchase" -> BigDecimal.ONE;
                    case "revenue" -> BigDecimal.valueOf(random.nextInt(100_000), 2);
                    default -> BigDecimal.valueOf(random.nextInt(3) - 1);
                };
                t.metricEvents.add(event(key + "-m-" + i, key, unit, "metric", metric, value, random));
                Map<String, BigDecimal> totals = totalsByUnit.get(unit);
                if (totals == null) {
                    t.distinctIgnored++;
                } else {
                    totals.merge(metric, value, BigDecimal::add);
                    t.countableIds.add(key + "#" + key + "-m-" + i);
                    t.distinctCountable++;
                }
            }
            Map<String, VariantAggregates> perVariant = new TreeMap<>();
            for (String variant : variants) {
                long count = 0;
                Map<String, MetricAggregate> metrics = new HashMap<>();
                for (String unit : exposed) {
                    if (!armOf(unit, variants).orElseThrow().equals(variant)) {
                        continue;
                    }
                    count++;
                    for (Map.Entry<String, BigDecimal> total : totalsByUnit.get(unit).entrySet()) {
                        BigDecimal x = total.getValue();
                        metrics.merge(total.getKey(), new MetricAggregate(x.signum() > 0 ? 1 : 0, x, x.multiply(x)), MetricAggregate::plus);
                    }
                }
                perVariant.put(variant, new VariantAggregates(variant, count, metrics));
            }
            t.expected.put(key, perVariant);
        }
        Collections.shuffle(t.exposures, random);
        Collections.shuffle(t.metricEvents, random);
        t.exposures.addAll(duplicates(t.exposures, duplicateShare, random));
        t.metricEvents.addAll(duplicates(t.metricEvents, duplicateShare, random));
        Collections.shuffle(t.metricEvents, random);
        return t;
    }

    IngestTargets targets() {
        return key -> Optional.ofNullable(targets.get(key));
    }

    /** All events in the order they must be sent: exposures first, then metrics. */
    List<ObjectNode> all() {
        List<ObjectNode> all = new ArrayList<>(exposures);
        all.addAll(metricEvents);
        return all;
    }

    int sent() {
        return exposures.size() + metricEvents.size();
    }

    /** Splits events into request bodies of random sizes in [1, maxBatch]. */
    static List<ObjectNode> batches(List<ObjectNode> events, int maxBatch, Random random) {
        List<ObjectNode> bodies = new ArrayList<>();
        for (int from = 0; from < events.size(); ) {
            int size = 1 + random.nextInt(maxBatch);
            ObjectNode body = Json.object();
            ArrayNode array = body.putArray("events");
            events.subList(from, Math.min(events.size(), from + size)).forEach(array::add);
            bodies.add(body);
            from += size;
        }
        return bodies;
    }

    private static List<ObjectNode> duplicates(List<ObjectNode> events, double share, Random random) {
        List<ObjectNode> copies = new ArrayList<>();
        for (ObjectNode e : events) {
            if (random.nextDouble() < share) {
                copies.add(e.deepCopy());
            }
        }
        return copies;
    }

    private static ObjectNode event(String id, String key, String unit, String type, String metric, BigDecimal value, Random random) {
        ObjectNode e = Json.object();
        e.put("eventId", id);
        e.put("key", key);
        e.put("unitId", unit);
        e.put("type", type);
        if (metric != null) {
            e.put("metric", metric);
            e.put("value", value);
        }
        // Out of order on purpose: timestamps are random within the last day.
        e.put("timestamp", NOW.minusSeconds(random.nextInt(86_400)).toString());
        return e;
    }
}
