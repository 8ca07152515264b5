package io.splitline.aggregate;

import java.math.BigDecimal;

/**
 * Sufficient statistics of the per-unit totals of one metric in one variant, exact (DynamoDB numbers
 * are decimal).
 *
 * @param positive units whose total is greater than 0 (conversions, for a conversion metric)
 * @param sum      Σ of the units' totals
 * @param sumSquares Σ of the squares of the units' totals
 */
public record MetricTotals(long positive, BigDecimal sum, BigDecimal sumSquares) {
    public static final MetricTotals ZERO = new MetricTotals(0, BigDecimal.ZERO, BigDecimal.ZERO);

    public MetricTotals plus(MetricTotals other) {
        return new MetricTotals(positive + other.positive, sum.add(other.sum), sumSquares.add(other.sumSquares));
    }
}
