package io.splitline.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.json.Json;
import io.splitline.stats.CovariateSums;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.ZoneOffset;
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
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CUPED's sums (n, Σx, Σx², Σy, Σy², Σxy per variant and metric) built incrementally from covariates given
 * on exposure events and the metric events that follow, every event re-sent, against a plain-Java ground
 * truth; the first exposure's covariates are the unit's, whatever later exposures say. Through raw puts and the
 * stream fold on the in-memory twins ({@link FoldedIngest}); the fold's covariate sums on DynamoDB Local are
 * {@code StreamAggregatorDynamoDbTest}'s.
 */
class CovariateCaptureTest {
    private static final Clock CLOCK = Clock.fixed(SimulatedTraffic.NOW, ZoneOffset.UTC);
    private static final String KEY = "cuped";
    private static final List<String> VARIANTS = List.of("control", "treatment");

    @Test
    void covariateSums_equalTheGroundTruth_whateverTheResends() {
        Random random = new Random(17);
        List<ObjectNode> exposures = new ArrayList<>();
        List<ObjectNode> later = new ArrayList<>();
        Map<String, Map<String, BigDecimal>> x = new TreeMap<>();
        Map<String, Map<String, BigDecimal>> y = new TreeMap<>();
        for (int u = 0; u < 120; u++) {
            String unit = "u" + u;
            Map<String, BigDecimal> covariates = new TreeMap<>();
            for (String metric : SimulatedTraffic.METRICS) {
                if (random.nextInt(3) > 0) {
                    covariates.put(metric, BigDecimal.valueOf(random.nextInt(40_000) - 10_000, 2));
                }
            }
            x.put(unit, covariates);
            y.put(unit, new HashMap<>());
            exposures.add(exposure("x-" + u, unit, covariates));
            // a second exposure with other covariates: the unit is already exposed, it changes nothing
            later.add(exposure("x2-" + u, unit, Map.of("purchase", BigDecimal.valueOf(999))));
        }
        List<ObjectNode> metrics = new ArrayList<>();
        for (int i = 0; i < 900; i++) {
            String unit = "u" + random.nextInt(120);
            String metric = SimulatedTraffic.METRICS.get(random.nextInt(SimulatedTraffic.METRICS.size()));
            BigDecimal v = BigDecimal.valueOf(random.nextInt(10_000) - 2_000, 2);
            y.get(unit).merge(metric, v, BigDecimal::add);
            ObjectNode e = Json.object();
            e.put("eventId", "m-" + i);
            e.put("key", KEY);
            e.put("unitId", unit);
            e.put("metric", metric);
            e.put("value", v);
            e.put("timestamp", SimulatedTraffic.NOW.toString());
            metrics.add(e);
        }
        List<ObjectNode> all = new ArrayList<>(exposures);
        all.addAll(exposures.subList(0, 40)); // re-sent exposures
        List<ObjectNode> rest = new ArrayList<>(later);
        rest.addAll(metrics);
        rest.addAll(metrics.subList(0, 300)); // re-sent metric events
        Collections.shuffle(rest, random);
        all.addAll(rest);
        IngestTarget target = new IngestTarget(KEY, IngestTarget.EXPERIMENT_SCOPE, true,
                unit -> SimulatedTraffic.armOf(unit, VARIANTS), Set.of());
        FoldedIngest service = new FoldedIngest(key -> key.equals(KEY) ? Optional.of(target) : Optional.empty(), d -> { }, CLOCK);

        for (ObjectNode body : SimulatedTraffic.batches(all, 200, random)) {
            assertEquals(List.of(), service.ingest(EventBatch.parse(body, SimulatedTraffic.NOW)).rejected());
        }

        Map<String, Map<String, Truth>> want = groundTruth(x, y);
        Map<String, VariantAggregates> got = service.read(KEY, "-");
        assertEquals(want.keySet(), got.keySet(), "variants");
        want.forEach((variant, byMetric) -> {
            VariantAggregates g = got.get(variant);
            assertEquals(byMetric.keySet(), g.metrics().keySet(), variant + " metrics");
            byMetric.forEach((metric, w) -> {
                CovariateSums c = g.covariates().getOrDefault(metric, CovariateSums.EMPTY);
                String where = variant + "/" + metric;
                assertEquals(w.n(), g.units(), where + " n");
                assertEquals(0, w.sumX().compareTo(c.sumX()), where + " Σx: want " + w.sumX() + " got " + c.sumX());
                assertEquals(0, w.sumXSquares().compareTo(c.sumXSquares()), where + " Σx²");
                assertEquals(0, w.sumY().compareTo(g.metric(metric).sum()), where + " Σy");
                assertEquals(0, w.sumYSquares().compareTo(g.metric(metric).sumSquares()), where + " Σy²");
                assertEquals(0, w.sumXY().compareTo(c.sumXY()), where + " Σxy: want " + w.sumXY() + " got " + c.sumXY());
            });
        });
        assertTrue(want.values().stream().flatMap(m -> m.values().stream()).allMatch(s -> s.sumXY().signum() != 0),
                "the cross products are exercised");
    }

    @Test
    void aCovariateNamedByANonMetricKey_orNotANumber_isRejectedWithItsField() {
        ObjectNode badName = exposure("a", "u1", Map.of("Not A Key", BigDecimal.ONE));
        ObjectNode notNumber = exposure("b", "u1", Map.of());
        ((ObjectNode) notNumber.get("covariates")).put("purchase", "12");
        ObjectNode body = Json.object();
        body.putArray("events").add(badName).add(notNumber);

        EventBatch batch = EventBatch.parse(body, SimulatedTraffic.NOW);

        assertEquals(List.of("events[0].covariates.Not A Key", "events[1].covariates.purchase"),
                batch.rejections().stream().map(Rejection::field).toList());
    }

    /** CUPED's sums of one variant and metric by the ground truth: n, Σx, Σx², Σy, Σy², Σxy. */
    private record Truth(long n, BigDecimal sumX, BigDecimal sumXSquares, BigDecimal sumY, BigDecimal sumYSquares,
                         BigDecimal sumXY) {
        Truth plus(Truth o) {
            return new Truth(n + o.n, sumX.add(o.sumX), sumXSquares.add(o.sumXSquares), sumY.add(o.sumY),
                    sumYSquares.add(o.sumYSquares), sumXY.add(o.sumXY));
        }
    }

    private static Map<String, Map<String, Truth>> groundTruth(Map<String, Map<String, BigDecimal>> x,
                                                                      Map<String, Map<String, BigDecimal>> y) {
        Map<String, Map<String, Truth>> sums = new TreeMap<>();
        Map<String, Long> units = new TreeMap<>();
        for (String unit : x.keySet()) {
            String variant = SimulatedTraffic.armOf(unit, VARIANTS).orElseThrow();
            units.merge(variant, 1L, Long::sum);
            Set<String> metrics = new TreeSet<>(x.get(unit).keySet());
            metrics.addAll(y.get(unit).keySet());
            for (String metric : metrics) {
                BigDecimal xi = x.get(unit).getOrDefault(metric, BigDecimal.ZERO);
                BigDecimal yi = y.get(unit).getOrDefault(metric, BigDecimal.ZERO);
                sums.computeIfAbsent(variant, v -> new TreeMap<>()).merge(metric, new Truth(0, xi, xi.multiply(xi), yi,
                        yi.multiply(yi), xi.multiply(yi)), Truth::plus);
            }
        }
        Map<String, Map<String, Truth>> result = new TreeMap<>();
        sums.forEach((variant, byMetric) -> {
            Map<String, Truth> withN = new TreeMap<>();
            byMetric.forEach((metric, s) -> withN.put(metric, new Truth(units.get(variant), s.sumX(), s.sumXSquares(),
                    s.sumY(), s.sumYSquares(), s.sumXY())));
            result.put(variant, withN);
        });
        return result;
    }

    private static ObjectNode exposure(String eventId, String unit, Map<String, BigDecimal> covariates) {
        ObjectNode e = Json.object();
        e.put("eventId", eventId);
        e.put("key", KEY);
        e.put("unitId", unit);
        e.put("type", "exposure");
        e.put("timestamp", SimulatedTraffic.NOW.toString());
        ObjectNode c = e.putObject("covariates");
        covariates.forEach(c::put);
        return e;
    }
}
