package io.splitline.stats;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * A ratio metric in one arm, such as revenue per session or errors per request: over the arm's n units,
 * the sums of the per-unit numerator a and denominator b, of their squares and of their product. The
 * metric is R = Σa / Σb (not the mean of per-unit ratios), and its variance comes from the delta method
 * with the covariance of a and b:
 * <pre>
 *   Var(R̂) ≈ (s_a² − 2R·s_ab + R²·s_b²) / (n·b̄²)
 * </pre>
 * with the sample (n − 1) variances and covariance of the per-unit values (Deng, Knoblich &amp; Lu 2018;
 * GrowthBook's ratio metrics). As a {@link MeanSample} of mean R and per-unit variance
 * {@code (s_a² − 2R·s_ab + R²·s_b²)/b̄²} it goes through the same {@link EffectTest} as any mean metric.
 *
 * <p>Σa, Σa², Σb, Σb² are the two metrics' own aggregates; the one new sum ingest keeps per variant and ratio
 * metric is Σab, incremented like Σx² ({@link #crossProductIncrement}).
 *
 * @param units            n
 * @param sumNumerator     Σa
 * @param sumNumeratorSq   Σa²
 * @param sumDenominator   Σb
 * @param sumDenominatorSq Σb²
 * @param sumProducts      Σab
 */
public record RatioMoments(long units, BigDecimal sumNumerator, BigDecimal sumNumeratorSq, BigDecimal sumDenominator,
                           BigDecimal sumDenominatorSq, BigDecimal sumProducts) {
    private static final MathContext PRECISION = MathContext.DECIMAL128;

    public RatioMoments {
        if (units < 0 || sumNumerator == null || sumNumeratorSq == null || sumDenominator == null
                || sumDenominatorSq == null || sumProducts == null) {
            throw new IllegalArgumentException("invalid ratio moments: n=" + units);
        }
    }

    /** From the numerator's and the denominator's metric aggregates and the kept Σab. */
    public static RatioMoments of(long units, MetricAggregate numerator, MetricAggregate denominator, BigDecimal sumProducts) {
        return new RatioMoments(units, numerator.sum(), numerator.sumSquares(), denominator.sum(), denominator.sumSquares(),
                sumProducts);
    }

    /**
     * What Σab changes by when one unit's totals go from (a₀, b₀) to (a₁, b₁) — an event of either metric
     * changes one of them: {@code a₁·b₁ − a₀·b₀}.
     */
    public static BigDecimal crossProductIncrement(BigDecimal numeratorBefore, BigDecimal numeratorAfter,
                                                   BigDecimal denominatorBefore, BigDecimal denominatorAfter) {
        return numeratorAfter.multiply(denominatorAfter).subtract(numeratorBefore.multiply(denominatorBefore));
    }

    /**
     * The arm as a sample of mean R and delta-method per-unit variance, or null when Σb is 0 (R undefined).
     * With one unit the variance is 0.
     */
    public MeanSample sample() {
        if (units == 0 || sumDenominator.signum() == 0) {
            return null;
        }
        BigDecimal n = BigDecimal.valueOf(units);
        double ratio = sumNumerator.divide(sumDenominator, PRECISION).doubleValue();
        if (units == 1) {
            return new MeanSample(1, ratio, 0);
        }
        BigDecimal nMinus1 = BigDecimal.valueOf(units - 1);
        // centred sums in exact arithmetic (S_ab = Σab − Σa·Σb/n), then the n − 1 (co)variances
        double varA = centred(sumNumeratorSq, sumNumerator, sumNumerator, n).divide(nMinus1, PRECISION).doubleValue();
        double varB = centred(sumDenominatorSq, sumDenominator, sumDenominator, n).divide(nMinus1, PRECISION).doubleValue();
        double covAB = centred(sumProducts, sumNumerator, sumDenominator, n).divide(nMinus1, PRECISION).doubleValue();
        double meanB = sumDenominator.divide(n, PRECISION).doubleValue();
        double variance = (varA - 2 * ratio * covAB + ratio * ratio * varB) / (meanB * meanB);
        return new MeanSample(units, ratio, Math.max(0, variance));
    }

    private static BigDecimal centred(BigDecimal sumProducts, BigDecimal sumA, BigDecimal sumB, BigDecimal n) {
        return sumProducts.subtract(sumA.multiply(sumB).divide(n, PRECISION));
    }
}
