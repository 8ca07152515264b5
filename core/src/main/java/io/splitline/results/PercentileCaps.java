package io.splitline.results;

import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.Metric;
import io.splitline.stats.CovariateSums;
import io.splitline.stats.MetricAggregate;
import io.splitline.stats.PercentileCap;
import io.splitline.stats.QuantileSketch;
import io.splitline.stats.SketchBin;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the percentile caps of mean metrics ({@code "cap": {"percentile": p}}) to the aggregates before the
 * statistics: the cap from the pooled sketches of unit totals ({@link PercentileCap}), and each arm's metric
 * aggregate replaced by the capped one, so every statistic of the metric is of min(x, cap).
 */
final class PercentileCaps {
    static final String INCOMPLETE = "the sketch of unit totals does not match the units (the cap was added after the"
            + " metric had data): not capped";

    private PercentileCaps() {
    }

    /**
     * What was applied to a metric.
     *
     * @param value the cap; null when not capped, with the {@code note} saying why
     */
    record Applied(String metric, double percentile, Double value, String note) {
    }

    /** The capped aggregates by variant, and what was applied to each capped metric. */
    record Capped(Map<String, VariantAggregates> byVariant, List<Applied> applied) {
    }

    static Capped apply(ExperimentSpec spec, Map<String, VariantAggregates> byVariant) {
        Map<String, VariantAggregates> capped = new LinkedHashMap<>(byVariant);
        List<Applied> applied = new ArrayList<>();
        for (Metric m : spec.metrics()) {
            if (m.capPercentile() == null) {
                continue;
            }
            Map<String, QuantileSketch> totals = totals(m.key(), byVariant);
            PercentileCap cap = totals == null ? null : PercentileCap.of(m.capPercentile(), List.copyOf(totals.values()));
            if (cap == null) {
                applied.add(new Applied(m.key(), m.capPercentile(), null, totals == null ? INCOMPLETE : "no units yet"));
                continue;
            }
            applied.add(new Applied(m.key(), m.capPercentile(), cap.value(), null));
            totals.forEach((variant, sketch) -> {
                VariantAggregates a = capped.get(variant);
                Map<String, MetricAggregate> metrics = new HashMap<>(a.metrics());
                metrics.put(m.key(), cap.capped(sketch, a.metric(m.key()).positiveUnits()));
                Map<String, CovariateSums> covariates = new HashMap<>(a.covariates());
                covariates.remove(m.key()); // CUPED's Σxy is of the uncapped totals
                capped.put(variant, new VariantAggregates(a.variant(), a.units(), metrics, covariates, a.ratioProducts(),
                        a.capped(), a.valueSketches(), a.totalSketches()));
            });
        }
        return new Capped(capped, applied);
    }

    /**
     * Each arm's sketch of unit totals with its units without a total as zeros; null when a sketch does not
     * describe its units (a negative bin, or more binned totals than units).
     */
    private static Map<String, QuantileSketch> totals(String metric, Map<String, VariantAggregates> byVariant) {
        Map<String, QuantileSketch> totals = new LinkedHashMap<>();
        for (VariantAggregates a : byVariant.values()) {
            Map<SketchBin, Long> bins = a.totalSketches().getOrDefault(metric, Map.of());
            if (bins.values().stream().anyMatch(n -> n < 0)) {
                return null;
            }
            QuantileSketch sketch = new QuantileSketch(bins);
            if (sketch.count() > a.units()) {
                return null;
            }
            totals.put(a.variant(), sketch.withZeros(a.units() - sketch.count()));
        }
        return totals;
    }
}
