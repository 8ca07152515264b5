package io.splitline.aggregate;

import io.splitline.stats.MetricAggregate;
import java.math.BigDecimal;

/**
 * A capped metric's sums in one variant, over the per-unit totals x limited to the cap: Σ min(x, cap),
 * Σ min(x, cap)², and how many units have a total above the cap (they count as the cap).
 *
 * @param sum         Σ min(x, cap)
 * @param sumSquares  Σ min(x, cap)²
 * @param cappedUnits units whose total is above the cap
 */
public record CappedSums(BigDecimal sum, BigDecimal sumSquares, long cappedUnits) {
    public static final CappedSums EMPTY = new CappedSums(BigDecimal.ZERO, BigDecimal.ZERO, 0);

    public CappedSums {
        if (sum == null || sumSquares == null || cappedUnits < 0) {
            throw new IllegalArgumentException("invalid capped sums: cappedUnits=" + cappedUnits);
        }
    }

    /** The sums of two disjoint sets of units (e.g. two shards). */
    public CappedSums plus(CappedSums o) {
        return new CappedSums(sum.add(o.sum), sumSquares.add(o.sumSquares), cappedUnits + o.cappedUnits);
    }

    /**
     * The metric's aggregate over the capped totals. A cap is above 0, so a unit's capped total is above 0
     * exactly when its total is: the positive count is the raw one.
     */
    public MetricAggregate moments(MetricAggregate raw) {
        return new MetricAggregate(raw.positiveUnits(), sum, sumSquares);
    }
}
