package io.splitline.stats;

import java.math.BigDecimal;
import java.util.List;

/**
 * A mean metric's cap at the p-quantile of its unit totals ({@code "cap": {"percentile": p}}), taken from the
 * sketches of current unit totals that ingest keeps per variant, and the capped moments of each arm.
 *
 * <p>The cap is one value for all arms: the p-quantile of the pooled unit totals (units without a total count
 * as 0), so that capping does not itself differ between arms. Each unit total x is read as its bin's value v,
 * |v − x| ≤ α|x|, and the cap ĉ is within α of the exact quantile c. Since min is 1-Lipschitz, for c &gt; 0 each
 * unit's capped value is off by at most α(2 + α)/(1 − α)·|min(x, c)| (2.04 % at α = 1 %), and so is the capped
 * mean relative to the mean of |min(x, c)| (docs/statistics.md, "Percentile caps").
 *
 * @param percentile p, in (0, 1]
 * @param value      the cap, ĉ
 */
public record PercentileCap(double percentile, double value) {
    /** The bound on a capped value's relative error, α(2 + α)/(1 − α). */
    public static final double RELATIVE_ERROR = SketchBin.RELATIVE_ACCURACY * (2 + SketchBin.RELATIVE_ACCURACY)
            / (1 - SketchBin.RELATIVE_ACCURACY);

    /**
     * The cap over the arms' unit totals (each sketch with its zeros, {@link QuantileSketch#withZeros}); null
     * when no arm has a unit.
     */
    public static PercentileCap of(double percentile, List<QuantileSketch> arms) {
        QuantileSketch pooled = arms.stream().reduce(QuantileSketch.EMPTY, QuantileSketch::plus);
        return pooled.count() == 0 ? null : new PercentileCap(percentile, pooled.quantile(percentile));
    }

    /**
     * The arm's sufficient statistics of min(x, cap): Σ and Σ² from its sketch of unit totals (with zeros);
     * {@code positiveUnits} stays the uncapped count while the cap is above 0 (capping keeps a positive total
     * positive), else no total stays positive.
     */
    public MetricAggregate capped(QuantileSketch arm, long positiveUnits) {
        double[] sums = arm.cappedSums(value);
        return new MetricAggregate(value > 0 ? positiveUnits : 0, BigDecimal.valueOf(sums[0]), BigDecimal.valueOf(sums[1]));
    }
}
