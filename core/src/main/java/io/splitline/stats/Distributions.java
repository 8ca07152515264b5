package io.splitline.stats;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.special.Gamma;

/**
 * Tail probabilities and quantiles of the normal, Student t and chi-square distributions, computed so
 * that small p-values keep their relative precision: upper tails come straight from the complementary
 * special functions (erfc, the regularized incomplete beta and gamma functions) rather than as
 * {@code 1 - cdf}. The commons-math distributions are built without a random generator: nothing here
 * samples, so nothing needs (or creates) a seed.
 */
public final class Distributions {
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);
    private static final double QUANTILE_ACCURACY = 1e-13;

    private Distributions() {
    }

    /** P(Z > z) for a standard normal Z. */
    public static double normalUpperTail(double z) {
        return 0.5 * Erf.erfc(z / Math.sqrt(2));
    }

    /** P(Z <= z) for a standard normal Z. */
    public static double normalCdf(double z) {
        return normalUpperTail(-z);
    }

    /** Standard normal density. */
    public static double normalDensity(double z) {
        return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    }

    /** Two-sided p-value P(|Z| >= |z|). */
    public static double normalTwoSided(double z) {
        return Math.min(1.0, Erf.erfc(Math.abs(z) / Math.sqrt(2)));
    }

    /** The z with P(Z <= z) = p, for p in (0, 1). */
    public static double normalQuantile(double p) {
        return STANDARD_NORMAL.inverseCumulativeProbability(p);
    }

    /**
     * Two-sided p-value P(|T| >= |t|) of Student's t with {@code df > 0} degrees of freedom, as the
     * regularized incomplete beta function I_{df/(df+t²)}(df/2, 1/2).
     */
    public static double studentTwoSided(double t, double df) {
        if (t == 0) {
            return 1.0;
        }
        return Math.min(1.0, Beta.regularizedBeta(df / (df + t * t), df / 2, 0.5));
    }

    /** The t with P(T <= t) = p for Student's t with {@code df > 0} degrees of freedom. */
    public static double studentQuantile(double p, double df) {
        return new TDistribution(null, df, QUANTILE_ACCURACY).inverseCumulativeProbability(p);
    }

    /** P(X >= x) for a chi-square X with {@code df > 0} degrees of freedom: Q(df/2, x/2). */
    public static double chiSquareUpperTail(double x, int df) {
        if (x <= 0) {
            return 1.0;
        }
        return Gamma.regularizedGammaQ(df / 2.0, x / 2.0);
    }
}
