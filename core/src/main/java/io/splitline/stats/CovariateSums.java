package io.splitline.stats;

import java.math.BigDecimal;

/**
 * What ingest keeps, per variant and metric, for CUPED: sums over the variant's exposed units of a
 * pre-exposure covariate x (the unit's total of the metric over the lookback window before its exposure),
 * its square, and its cross product with the metric's per-unit value y. Units without pre-exposure data
 * have x = 0, as units without events have y = 0, so nothing here counts units. For a mean metric y is the
 * unit's total; for a conversion metric y is 1 when the unit converted (total above 0), else 0, so Σxy is Σx
 * over the converted units. Kept incrementally like Σy: when a unit's y changes from y₀ to y₁,
 * Σxy += x·(y₁ − y₀). Exact decimals, as DynamoDB numbers are.
 *
 * @param sumX        Σx over units
 * @param sumXSquares Σx² over units
 * @param sumXY       Σx·y over units
 */
public record CovariateSums(BigDecimal sumX, BigDecimal sumXSquares, BigDecimal sumXY) {
    /** No unit has pre-exposure data. */
    public static final CovariateSums EMPTY = new CovariateSums(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

    public CovariateSums {
        if (sumX == null || sumXSquares == null || sumXY == null || sumXSquares.signum() < 0) {
            throw new IllegalArgumentException("invalid covariate sums: sumX=" + sumX + " sumXSquares=" + sumXSquares
                    + " sumXY=" + sumXY);
        }
    }

    /** The sums of the union of two disjoint sets of units (e.g. two shards). */
    public CovariateSums plus(CovariateSums other) {
        return new CovariateSums(sumX.add(other.sumX), sumXSquares.add(other.sumXSquares), sumXY.add(other.sumXY));
    }
}
