package io.splitline.stats;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * A continuous metric in one arm: the mean and unbiased sample variance (n-1 denominator) of the
 * per-unit totals. Built from the exact sufficient statistics (n, Σx, Σx²) with
 * {@link #fromSums}, which computes {@code (n·Σx² − (Σx)²) / (n(n−1))} in {@link BigDecimal}: the
 * textbook double formula Σx²/n − mean² cancels catastrophically once n reaches 10⁹ or the mean is
 * large relative to the spread.
 *
 * @param units    number of units (units without events count as 0)
 * @param mean     mean of the per-unit totals
 * @param variance unbiased sample variance; 0 when {@code units < 2}
 */
public record MeanSample(long units, double mean, double variance) implements Sample {
    private static final MathContext PRECISION = MathContext.DECIMAL128;

    public MeanSample {
        if (units < 0 || !Double.isFinite(mean) || !Double.isFinite(variance) || variance < 0) {
            throw new IllegalArgumentException("invalid sample: n=" + units + " mean=" + mean + " variance=" + variance);
        }
    }

    /**
     * From n, Σx and Σx² of per-unit totals. A negative numerator (only possible from inconsistent
     * aggregates) is clamped to zero variance.
     */
    public static MeanSample fromSums(long units, BigDecimal sum, BigDecimal sumSquares) {
        if (units <= 0) {
            return new MeanSample(0, 0.0, 0.0);
        }
        BigDecimal n = BigDecimal.valueOf(units);
        double mean = sum.divide(n, PRECISION).doubleValue();
        if (units == 1) {
            return new MeanSample(1, mean, 0.0);
        }
        BigDecimal numerator = n.multiply(sumSquares).subtract(sum.multiply(sum));
        double variance = numerator.signum() <= 0 ? 0.0
                : numerator.divide(n.multiply(BigDecimal.valueOf(units - 1)), PRECISION).doubleValue();
        return new MeanSample(units, mean, variance);
    }

    /** Sample standard deviation. */
    public double standardDeviation() {
        return Math.sqrt(variance);
    }

    @Override
    public double unitVariance() {
        return variance;
    }
}
