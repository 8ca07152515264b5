package io.splitline.stats;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The sufficient statistics of one arm for CUPED: n units, and over them Σy, Σy² of the metric's per-unit
 * value y and Σx, Σx², Σxy with a pre-exposure covariate x. Exact decimals; the centred sums
 * {@code S_xy = Σxy − Σx·Σy/n} are formed in {@link BigDecimal} before they become doubles, so they
 * do not cancel at 10⁹ units.
 *
 * @param units       n
 * @param sumY        Σy
 * @param sumYSquares Σy²
 * @param sumX        Σx
 * @param sumXSquares Σx²
 * @param sumXY       Σxy
 */
public record CovariateMoments(long units, BigDecimal sumY, BigDecimal sumYSquares, BigDecimal sumX,
                               BigDecimal sumXSquares, BigDecimal sumXY) {
    private static final MathContext PRECISION = MathContext.DECIMAL128;

    public CovariateMoments {
        if (units < 0 || sumY == null || sumYSquares == null || sumX == null || sumXSquares == null || sumXY == null) {
            throw new IllegalArgumentException("invalid covariate moments: n=" + units);
        }
    }

    /**
     * The moments of a metric in a variant: y's sums from its aggregate (for a conversion metric y is the
     * 0/1 conversion indicator, so Σy = Σy² = conversions), x's from the covariate sums.
     */
    public static CovariateMoments of(long units, MetricAggregate metric, boolean conversion, CovariateSums covariate) {
        BigDecimal sumY = conversion ? BigDecimal.valueOf(Math.min(metric.positiveUnits(), units)) : metric.sum();
        BigDecimal sumYSquares = conversion ? sumY : metric.sumSquares();
        return new CovariateMoments(units, sumY, sumYSquares, covariate.sumX(), covariate.sumXSquares(), covariate.sumXY());
    }

    /** ȳ, 0 with no units. */
    public double meanY() {
        return units == 0 ? 0 : sumY.divide(BigDecimal.valueOf(units), PRECISION).doubleValue();
    }

    /** x̄, 0 with no units. */
    public double meanX() {
        return units == 0 ? 0 : sumX.divide(BigDecimal.valueOf(units), PRECISION).doubleValue();
    }

    /** S_yy = Σy² − (Σy)²/n, the centred sum of squares of y (≥ 0). */
    public double centredYY() {
        return centred(sumYSquares, sumY, sumY);
    }

    /** S_xx = Σx² − (Σx)²/n (≥ 0). */
    public double centredXX() {
        return centred(sumXSquares, sumX, sumX);
    }

    /** S_xy = Σxy − Σx·Σy/n. */
    public double centredXY() {
        if (units == 0) {
            return 0;
        }
        return sumXY.subtract(sumX.multiply(sumY).divide(BigDecimal.valueOf(units), PRECISION)).doubleValue();
    }

    private double centred(BigDecimal sumSquares, BigDecimal a, BigDecimal b) {
        if (units == 0) {
            return 0;
        }
        double value = sumSquares.subtract(a.multiply(b).divide(BigDecimal.valueOf(units), PRECISION)).doubleValue();
        return Math.max(0, value);
    }
}
