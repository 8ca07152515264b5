package io.splitline.stats;

/**
 * The q-quantile of event values in two arms, from their sketches, and a confidence interval for the
 * difference (treatment − control).
 *
 * <p>Method (docs/statistics.md, "Quantile metrics"): in each arm of n values, the distribution-free
 * order-statistic interval for the q-quantile runs from rank j = ⌊nq − z·√(nq(1 − q))⌋ to
 * k = ⌈nq + z·√(nq(1 − q))⌉ (1-based, clamped to 1..n): the binomial count of values below the true quantile,
 * in its normal form. Its width gives the arm's standard error, se = (x₍ₖ₎ − x₍ⱼ₎)/(2z) (the sparsity
 * |dx/dF|·√(q(1 − q)/n) measured from the data, no density estimate). The difference's interval is
 * d ± (z·√(se_T² + se_C²) + e_T + e_C), where e = α/(1 − α)·|q̂| bounds how far the sketch's value of each
 * quantile can be from the exact order statistic (the sketch's relative accuracy α): a guaranteed allowance,
 * added rather than pooled, so at large n the interval cannot be narrower than the sketch can resolve.
 * Values are taken as independent draws; events of one unit that are correlated make it too narrow.
 */
public final class QuantileDifference {
    private QuantileDifference() {
    }

    /** One arm's q-quantile with its order-statistic interval (widened by the sketch's error) and standard error. */
    public record ArmQuantile(double quantile, double value, Interval ci, double standardError, double sketchError) {
    }

    /** The difference of two arms' q-quantiles and its interval. */
    public record Difference(double quantile, double control, double treatment, double difference, Interval ci) {
    }

    /** The arm's q-quantile at confidence {@code level}; null with fewer than 2 values. */
    public static ArmQuantile arm(QuantileSketch sketch, double q, double level) {
        long n = sketch.count();
        if (n < 2) {
            return null;
        }
        double z = Distributions.normalUpperQuantile((1 - level) / 2);
        double spread = z * Math.sqrt(n * q * (1 - q));
        long j = Math.max(1, Math.min(n, (long) Math.floor(n * q - spread)));
        long k = Math.max(1, Math.min(n, (long) Math.ceil(n * q + spread)));
        double low = sketch.valueAtRank(j - 1);
        double high = sketch.valueAtRank(k - 1);
        double value = sketch.quantile(q);
        double slack = SketchBin.RELATIVE_ACCURACY / (1 - SketchBin.RELATIVE_ACCURACY);
        return new ArmQuantile(q, value, new Interval(low - slack * Math.abs(low), high + slack * Math.abs(high)),
                (high - low) / (2 * z), slack * Math.abs(value));
    }

    /** Treatment − control at confidence {@code level}; null when an arm has fewer than 2 values. */
    public static Difference difference(QuantileSketch control, QuantileSketch treatment, double q, double level) {
        ArmQuantile c = arm(control, q, level);
        ArmQuantile t = arm(treatment, q, level);
        if (c == null || t == null) {
            return null;
        }
        double z = Distributions.normalUpperQuantile((1 - level) / 2);
        double d = t.value() - c.value();
        double half = z * Math.hypot(t.standardError(), c.standardError()) + t.sketchError() + c.sketchError();
        return new Difference(q, c.value(), t.value(), d, new Interval(d - half, d + half));
    }
}
