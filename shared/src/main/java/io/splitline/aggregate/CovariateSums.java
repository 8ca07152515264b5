package io.splitline.aggregate;

import java.math.BigDecimal;

/**
 * CUPED's sufficient statistics for one variant and metric, over the variant's exposed units: with x a
 * unit's covariate (its pre-exposure total, 0 when none was given) and y its total since exposure,
 * {@code n}, Σx, Σx², Σy, Σy², Σxy. Exact decimals, summed over the shards like the other aggregates.
 */
public record CovariateSums(long n, BigDecimal sumX, BigDecimal sumXSquares, BigDecimal sumY, BigDecimal sumYSquares,
                            BigDecimal sumXY) {
    public static final CovariateSums EMPTY = new CovariateSums(0, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
            BigDecimal.ZERO, BigDecimal.ZERO);

    public CovariateSums plus(CovariateSums o) {
        return new CovariateSums(n + o.n, sumX.add(o.sumX), sumXSquares.add(o.sumXSquares), sumY.add(o.sumY),
                sumYSquares.add(o.sumYSquares), sumXY.add(o.sumXY));
    }
}
