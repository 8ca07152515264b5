package io.splitline.aggregate;

import io.splitline.stats.CovariateSums;
import io.splitline.stats.MetricAggregate;
import io.splitline.stats.QuantileSketch;
import io.splitline.stats.SketchBin;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Everything recorded for one variant of an experiment, as summed over the aggregate shards: its
 * exposed units and, per metric, the sufficient statistics of per-unit totals. A metric without an
 * entry had no events ({@link MetricAggregate#EMPTY}): its units count as 0.
 *
 * @param variant    variant key
 * @param units      units exposed to the variant (first exposures)
 * @param metrics    metric key → aggregate
 * @param covariates metric key → the pre-exposure covariate sums of the metric, for CUPED (optional: a metric
 *                   that no variant has an entry for gets no CUPED estimate)
 * @param ratioProducts ratio metric key → Σ numerator·denominator over units (the one sum of a ratio metric that
 *                   its two metrics' aggregates do not hold; see {@link io.splitline.stats.RatioMoments})
 * @param capped     metric key → the sums of its capped per-unit totals (capped metrics only)
 * @param valueSketches quantile metric key → the sketch of its event values
 * @param totalSketches percentile-capped metric key → the sketch of its units' current non-zero totals (bin counts
 *                   as stored, bins counting 0 left out: a count can be negative when the cap was added after the
 *                   metric had totals)
 */
public record VariantAggregates(String variant, long units, Map<String, MetricAggregate> metrics,
                                Map<String, CovariateSums> covariates, Map<String, BigDecimal> ratioProducts,
                                Map<String, CappedSums> capped, Map<String, QuantileSketch> valueSketches,
                                Map<String, Map<SketchBin, Long>> totalSketches) {
    public VariantAggregates {
        if (variant == null || units < 0) {
            throw new IllegalArgumentException("variant aggregates need a variant key and units >= 0");
        }
        metrics = Map.copyOf(metrics);
        covariates = Map.copyOf(covariates);
        ratioProducts = Map.copyOf(ratioProducts);
        capped = Map.copyOf(capped);
        valueSketches = Map.copyOf(valueSketches);
        totalSketches = Map.copyOf(totalSketches);
    }

    /** Aggregates without capped sums or sketches. */
    public VariantAggregates(String variant, long units, Map<String, MetricAggregate> metrics,
                             Map<String, CovariateSums> covariates, Map<String, BigDecimal> ratioProducts) {
        this(variant, units, metrics, covariates, ratioProducts, Map.of(), Map.of(), Map.of());
    }

    /** Aggregates without covariates or ratio products. */
    public VariantAggregates(String variant, long units, Map<String, MetricAggregate> metrics) {
        this(variant, units, metrics, Map.of(), Map.of());
    }

    /** No unit exposed yet. */
    public static VariantAggregates empty(String variant) {
        return new VariantAggregates(variant, 0, Map.of());
    }

    /** The aggregate of a metric, {@link MetricAggregate#EMPTY} when it has no events. */
    public MetricAggregate metric(String metricKey) {
        return metrics.getOrDefault(metricKey, MetricAggregate.EMPTY);
    }
}
