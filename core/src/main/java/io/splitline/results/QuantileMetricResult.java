package io.splitline.results;

import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.Metric;
import io.splitline.experiment.MetricType;
import io.splitline.experiment.Variant;
import io.splitline.stats.QuantileDifference;
import io.splitline.stats.QuantileDifference.ArmQuantile;
import io.splitline.stats.QuantileDifference.Difference;
import io.splitline.stats.QuantileSketch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A quantile metric's results: P50, P90, P95 and P99 of its event values per variant, and per treatment the
 * difference from control with its interval ({@link QuantileDifference}). Reported beside the other metrics,
 * outside the multiple-testing family and the recommendation.
 *
 * @param metric      the metric key
 * @param variants    per variant in definition order
 * @param comparisons per treatment in definition order
 */
public record QuantileMetricResult(String metric, List<Arm> variants, List<Comparison> comparisons) {
    /** The quantiles reported. */
    public static final List<Double> QUANTILES = List.of(0.5, 0.9, 0.95, 0.99);
    static final String TOO_FEW = "fewer than 2 events in an arm";

    public QuantileMetricResult {
        variants = List.copyOf(variants);
        comparisons = List.copyOf(comparisons);
    }

    /** One variant: its event count and quantiles (none with fewer than 2 events). */
    public record Arm(String variant, long events, List<ArmQuantile> quantiles) {
        public Arm {
            quantiles = List.copyOf(quantiles);
        }
    }

    /** One treatment against control: the differences (none with fewer than 2 events in an arm) and why not. */
    public record Comparison(String variant, List<Difference> differences, List<String> notes) {
        public Comparison {
            differences = List.copyOf(differences);
            notes = List.copyOf(notes);
        }
    }

    /** The results of every quantile metric of the experiment, in definition order. */
    static List<QuantileMetricResult> compute(ExperimentSpec spec, Map<String, VariantAggregates> byVariant) {
        List<QuantileMetricResult> results = new ArrayList<>();
        for (Metric m : spec.metrics()) {
            if (m.type() == MetricType.QUANTILE) {
                results.add(compute(spec, m.key(), byVariant));
            }
        }
        return results;
    }

    private static QuantileMetricResult compute(ExperimentSpec spec, String metric, Map<String, VariantAggregates> byVariant) {
        double level = spec.confidenceLevel();
        List<Arm> arms = new ArrayList<>();
        List<Comparison> comparisons = new ArrayList<>();
        QuantileSketch control = sketch(byVariant.get(spec.control()), metric);
        for (Variant v : spec.variants()) {
            QuantileSketch sketch = sketch(byVariant.get(v.key()), metric);
            arms.add(new Arm(v.key(), sketch.count(),
                    QUANTILES.stream().map(q -> QuantileDifference.arm(sketch, q, level)).filter(Objects::nonNull).toList()));
            if (!v.key().equals(spec.control())) {
                List<Difference> differences = QUANTILES.stream()
                        .map(q -> QuantileDifference.difference(control, sketch, q, level)).filter(Objects::nonNull).toList();
                comparisons.add(new Comparison(v.key(), differences, differences.isEmpty() ? List.of(TOO_FEW) : List.of()));
            }
        }
        return new QuantileMetricResult(metric, arms, comparisons);
    }

    private static QuantileSketch sketch(VariantAggregates a, String metric) {
        return a == null ? QuantileSketch.EMPTY : a.valueSketches().getOrDefault(metric, QuantileSketch.EMPTY);
    }
}
