package io.splitline.ingest;

import static io.splitline.ingest.IngestGroundTruthTest.CLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.CappedSums;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.store.TableNames;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The capped sums (Σ min(x, cap), Σ min(x, cap)², units above the cap) and the ratios' Σ numerator·denominator,
 * built incrementally by ingest from events of both signs sent in random batches and re-sent, equal the same
 * sums recomputed in plain Java from the raw events' per-unit totals. Two ratios share a metric (its item
 * carries both Σab parts) and one ratio's parts are both capped metrics (a ratio reads the uncapped totals).
 */
@ExtendWith(DynamoDbLocalExtension.class)
class DerivedSumsGroundTruthTest {
    private static final String KEY = "capped";
    private static final List<String> VARIANTS = List.of("control", "treatment", "b");
    private static final List<String> METRICS = List.of("revenue", "sessions", "clicks", "other");
    private static final Map<String, BigDecimal> CAPS = Map.of("revenue", new BigDecimal("20"), "clicks", new BigDecimal("3.5"));
    private static final List<DerivedSums.Ratio> RATIOS = List.of(new DerivedSums.Ratio("revenue-per-session", "revenue", "sessions"),
            new DerivedSums.Ratio("clicks-per-session", "clicks", "sessions"), new DerivedSums.Ratio("revenue-per-click", "revenue", "clicks"));

    @Test
    void cappedSumsAndRatioProducts_equalTheGroundTruth_whateverTheBatchesAndResends(LocalTables local) {
        Random random = new Random(29);
        List<ObjectNode> exposures = new ArrayList<>();
        Map<String, Map<String, BigDecimal>> totals = new TreeMap<>();
        for (int u = 0; u < 150; u++) {
            String unit = "u" + u;
            totals.put(unit, new TreeMap<>());
            exposures.add(TestEvents.event("x-" + u, KEY, unit, "exposure", null, SimulatedTraffic.NOW));
        }
        List<ObjectNode> metrics = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            String unit = "u" + random.nextInt(150);
            String metric = METRICS.get(random.nextInt(METRICS.size()));
            // mostly up, sometimes down: totals cross their cap both ways, and some end below 0
            BigDecimal value = BigDecimal.valueOf(random.nextInt(3_000) - 900, 2);
            totals.get(unit).merge(metric, value, BigDecimal::add);
            ObjectNode e = TestEvents.event("m-" + i, KEY, unit, "metric", metric, SimulatedTraffic.NOW);
            e.put("value", value);
            metrics.add(e);
        }
        List<ObjectNode> rest = new ArrayList<>(metrics);
        rest.addAll(metrics.subList(0, 400)); // re-sent
        Collections.shuffle(rest, random);
        List<ObjectNode> all = new ArrayList<>(exposures);
        all.addAll(rest);
        TableNames tables = TableNames.fromLogicalIds(local.names());
        IngestTarget target = new IngestTarget(KEY, IngestTarget.EXPERIMENT_SCOPE, true,
                unit -> SimulatedTraffic.armOf(unit, VARIANTS), Set.of(), new DerivedSums(CAPS, RATIOS), Set.of(), Set.of());
        StreamIngest service = new StreamIngest(local, key -> key.equals(KEY) ? Optional.of(target) : Optional.empty(), d -> { }, CLOCK);
        for (ObjectNode body : SimulatedTraffic.batches(all, 150, random)) {
            assertEquals(List.of(), service.send(body).rejected());
        }
        service.drain();

        Map<String, VariantAggregates> got = new DynamoDbAggregateReader(local.client(), tables.aggregates()).read(KEY, "-");
        Map<String, Map<String, CappedSums>> wantCapped = new TreeMap<>();
        Map<String, Map<String, BigDecimal>> wantProducts = new TreeMap<>();
        totals.forEach((unit, t) -> {
            String variant = SimulatedTraffic.armOf(unit, VARIANTS).orElseThrow();
            CAPS.forEach((metric, cap) -> {
                if (t.containsKey(metric)) {
                    BigDecimal x = t.get(metric).min(cap);
                    wantCapped.computeIfAbsent(variant, v -> new TreeMap<>()).merge(metric,
                            new CappedSums(x, x.multiply(x), t.get(metric).compareTo(cap) > 0 ? 1 : 0), CappedSums::plus);
                }
            });
            for (DerivedSums.Ratio r : RATIOS) {
                if (t.containsKey(r.numerator()) || t.containsKey(r.denominator())) {
                    BigDecimal ab = t.getOrDefault(r.numerator(), BigDecimal.ZERO).multiply(t.getOrDefault(r.denominator(), BigDecimal.ZERO));
                    wantProducts.computeIfAbsent(variant, v -> new TreeMap<>()).merge(r.key(), ab, BigDecimal::add);
                }
            }
        });
        assertEquals(wantCapped.keySet(), got.keySet(), "variants");
        Map<String, Long> capped = new TreeMap<>();
        for (String variant : wantCapped.keySet()) {
            VariantAggregates g = got.get(variant);
            assertEquals(wantCapped.get(variant).keySet(), g.capped().keySet(), variant + ": capped metrics only");
            for (Map.Entry<String, CappedSums> w : wantCapped.get(variant).entrySet()) {
                CappedSums c = g.capped().get(w.getKey());
                String where = variant + "/" + w.getKey();
                assertEquals(0, w.getValue().sum().compareTo(c.sum()), where + " Σ min(x, cap): want " + w.getValue().sum() + " got " + c.sum());
                assertEquals(0, w.getValue().sumSquares().compareTo(c.sumSquares()), where + " Σ min(x, cap)²");
                assertEquals(w.getValue().cappedUnits(), c.cappedUnits(), where + " units above the cap");
                capped.merge(w.getKey(), c.cappedUnits(), Long::sum);
            }
            assertEquals(wantProducts.get(variant).keySet(), g.ratioProducts().keySet(), variant + " ratios");
            wantProducts.get(variant).forEach((ratio, ab) -> assertEquals(0, ab.compareTo(g.ratioProducts().get(ratio)),
                    variant + "/" + ratio + " Σab: want " + ab + " got " + g.ratioProducts().get(ratio)));
        }
        assertTrue(capped.values().stream().allMatch(n -> n >= 10), "each cap bites on some units: " + capped);
    }
}
