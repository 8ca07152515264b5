package io.splitline.stats;

import java.math.BigDecimal;

/**
 * The sufficient statistics of one metric in one variant, over the per-unit totals of that metric:
 * how many units have a total above zero, Σx and Σx². Units with no event for the metric count as
 * x = 0, so the number of units comes from the variant (its exposures), not from here. Kept exact
 * ({@link BigDecimal}, as DynamoDB numbers are) so that variances can be computed without cancellation.
 *
 * @param positiveUnits units whose total is above zero (the conversions of a conversion metric)
 * @param sum           Σx over units
 * @param sumSquares    Σx² over units
 */
public record MetricAggregate(long positiveUnits, BigDecimal sum, BigDecimal sumSquares) {
    /** No unit has an event for the metric. */
    public static final MetricAggregate EMPTY = new MetricAggregate(0, BigDecimal.ZERO, BigDecimal.ZERO);

    public MetricAggregate {
        if (positiveUnits < 0 || sum == null || sumSquares == null || sumSquares.signum() < 0) {
            throw new IllegalArgumentException("invalid aggregate: positiveUnits=" + positiveUnits
                    + " sum=" + sum + " sumSquares=" + sumSquares);
        }
    }

    /** The statistics of the union of two disjoint sets of units (e.g. two shards). */
    public MetricAggregate plus(MetricAggregate other) {
        return new MetricAggregate(positiveUnits + other.positiveUnits, sum.add(other.sum), sumSquares.add(other.sumSquares));
    }

    /**
     * As a conversion metric over {@code units} exposed units. Positive units above {@code units}
     * (possible only when exposures and metric items were read at slightly different moments) are capped.
     */
    public ProportionSample proportion(long units) {
        return new ProportionSample(units, Math.min(positiveUnits, units));
    }

    /** As a continuous metric over {@code units} exposed units (mean of per-unit totals). */
    public MeanSample mean(long units) {
        return MeanSample.fromSums(units, sum, sumSquares);
    }
}
