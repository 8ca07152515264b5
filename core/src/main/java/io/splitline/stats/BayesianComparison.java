package io.splitline.stats;

import io.splitline.experiment.Direction;
import java.util.TreeSet;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.apache.commons.math3.special.Beta;

/**
 * The Bayesian view of treatment against control: the probability that treatment beats control and
 * the expected loss of shipping it, both taking the metric's direction into account. Deterministic:
 * closed forms and fixed-node quadrature, no sampling.
 *
 * <h2>Conversion metrics: Beta–Binomial, flat prior</h2>
 * Each rate has the posterior Beta(1 + x, 1 + n − x). With C and T independent,
 * {@code P(T > C) = ∫ f_T(t) F_C(t) dt} and the expected loss of choosing T when higher is better is
 * {@code E[(C − T)⁺] = ∫ F_T(t)(1 − F_C(t)) dt} (because (C − T)⁺ = ∫ 1{T ≤ t < C} dt). Both are
 * integrated with 20-point Gauss–Legendre rules on panels cut at μ ± {0, 1.5, 3, 6, 12, 40}·σ of both
 * posteriors, so a narrow posterior next to a wide one is resolved. The density f_T is evaluated as
 * {@code exp((a−1)·log1p((t−μ)/μ) + (b−1)·log1p(−(t−μ)/(1−μ)))} and normalised by its own quadrature
 * instead of through log B(a, b), whose rounding error at 10⁹ units would already be 10⁻⁶ relative;
 * the CDFs are regularized incomplete beta functions (tails by symmetry), taken as 0 or 1 beyond 40σ,
 * where Beta tails (at most exponential) hold less than 1e-17 of the mass. Once both arms have at least
 * 10 000 conversions and 10 000 non-conversions, a closed form replaces the quadrature
 * ({@link BetaDifferenceApproximation}: tested to within 1e-6 of it; a thousand times cheaper).
 *
 * <h2>Mean metrics: normal approximation</h2>
 * With a flat prior the posterior of each mean is approximately N(m, s²/n), so the difference
 * Δ = T − C ~ N(d, V), {@code V = s_T²/n_T + s_C²/n_C}: {@code P(T > C) = Φ(d/√V)} and
 * {@code E[(C − T)⁺] = √V·φ(d/√V) − d·Φ(−d/√V)}. Undefined (null) with fewer than 2 units per arm.
 *
 * <p>For a {@link Direction#DECREASE} metric "beats" means lower and the loss is E[(T − C)⁺]. Losses are
 * in the metric's own units (rate points or metric units per unit).
 */
public final class BayesianComparison {
    private static final int NODES = 20;
    private static final double[] NODE;
    private static final double[] WEIGHT;
    private static final double[] CUTS = {-40, -12, -6, -3, -1.5, 0, 1.5, 3, 6, 12, 40};
    private static final double TAIL = 40;

    static {
        GaussIntegrator rule = new GaussIntegratorFactory().legendreHighPrecision(NODES, -1, 1);
        NODE = new double[NODES];
        WEIGHT = new double[NODES];
        for (int i = 0; i < NODES; i++) {
            NODE[i] = rule.getPoint(i);
            WEIGHT[i] = rule.getWeight(i);
        }
    }

    private BayesianComparison() {
    }

    /** Beta–Binomial comparison of two conversion rates. */
    public static Result proportions(ProportionSample control, ProportionSample treatment, Direction direction) {
        BetaPosterior c = BetaPosterior.of(control);
        BetaPosterior t = BetaPosterior.of(treatment);
        if (BetaDifferenceApproximation.applies(c.a, c.b, t.a, t.b)) {
            // Large arms: the closed form, within its tested bound of the quadrature below.
            BetaDifferenceApproximation.Comparison r = direction == Direction.DECREASE
                    ? BetaDifferenceApproximation.compare(c.a, c.b, t.a, t.b)
                    : BetaDifferenceApproximation.compare(t.a, t.b, c.a, c.b);
            return new Result(clamp01(r.probabilityGreater()), Math.max(0.0, r.expectedShortfall()));
        }
        double tAbove = probabilityGreater(t, c);
        if (direction == Direction.DECREASE) {
            return new Result(clamp01(1 - tAbove), expectedShortfall(t, c));
        }
        return new Result(clamp01(tAbove), expectedShortfall(c, t));
    }

    /** Normal-approximation comparison of two means, or null with fewer than 2 units in an arm. */
    public static Result means(MeanSample control, MeanSample treatment, Direction direction) {
        if (control.units() < 2 || treatment.units() < 2) {
            return null;
        }
        double d = treatment.mean() - control.mean();
        if (direction == Direction.DECREASE) {
            d = -d;
        }
        double v = control.variance() / control.units() + treatment.variance() / treatment.units();
        if (!(v > 0)) {
            return new Result(d > 0 ? 1.0 : d < 0 ? 0.0 : 0.5, Math.max(0.0, -d));
        }
        double sd = Math.sqrt(v);
        double z = d / sd;
        double loss = sd * Distributions.normalDensity(z) - d * Distributions.normalCdf(-z);
        return new Result(Distributions.normalCdf(z), Math.max(0.0, loss));
    }

    /** P(X > Y) = ∫ f_X F_Y for independent Beta posteriors. */
    static double probabilityGreater(BetaPosterior x, BetaPosterior y) {
        double lo = x.lower();
        double hi = x.upper();
        double[] cuts = cuts(lo, hi, x, y);
        double mass = 0;
        double weighted = 0;
        for (int k = 0; k + 1 < cuts.length; k++) {
            double half = (cuts[k + 1] - cuts[k]) / 2;
            double mid = (cuts[k + 1] + cuts[k]) / 2;
            for (int i = 0; i < NODES; i++) {
                double t = mid + half * NODE[i];
                double w = WEIGHT[i] * half * x.unnormalisedDensity(t);
                mass += w;
                weighted += w * y.cdf(t);
            }
        }
        return weighted / mass;
    }

    /** E[(X − Y)⁺] = ∫ F_Y(t)(1 − F_X(t)) dt for independent Beta posteriors. */
    static double expectedShortfall(BetaPosterior x, BetaPosterior y) {
        double lo = y.lower();
        double hi = x.upper();
        if (!(hi > lo)) {
            return 0.0;
        }
        double[] cuts = cuts(lo, hi, x, y);
        double sum = 0;
        for (int k = 0; k + 1 < cuts.length; k++) {
            double half = (cuts[k + 1] - cuts[k]) / 2;
            double mid = (cuts[k + 1] + cuts[k]) / 2;
            for (int i = 0; i < NODES; i++) {
                double t = mid + half * NODE[i];
                sum += WEIGHT[i] * half * y.cdf(t) * x.survival(t);
            }
        }
        return Math.max(0.0, sum);
    }

    private static double[] cuts(double lo, double hi, BetaPosterior a, BetaPosterior b) {
        TreeSet<Double> points = new TreeSet<>();
        points.add(lo);
        points.add(hi);
        for (BetaPosterior p : new BetaPosterior[] {a, b}) {
            for (double k : CUTS) {
                double t = p.mean + k * p.sd;
                if (t > lo && t < hi) {
                    points.add(t);
                }
            }
        }
        return points.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double clamp01(double p) {
        return Math.max(0.0, Math.min(1.0, p));
    }

    /** Beta(a, b) posterior with the moments that place the quadrature panels. */
    static final class BetaPosterior {
        final double a;
        final double b;
        final double mean;
        final double sd;

        private BetaPosterior(double a, double b) {
            this.a = a;
            this.b = b;
            this.mean = a / (a + b);
            this.sd = Math.sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)));
        }

        static BetaPosterior of(ProportionSample s) {
            return new BetaPosterior(1.0 + s.conversions(), 1.0 + (s.units() - s.conversions()));
        }

        double lower() {
            return Math.max(0.0, mean - TAIL * sd);
        }

        double upper() {
            return Math.min(1.0, mean + TAIL * sd);
        }

        /** Density up to a constant: its value relative to the density at the mean. */
        double unnormalisedDensity(double t) {
            double u = (t - mean);
            double log = 0;
            if (a != 1) {
                log += (a - 1) * Math.log1p(u / mean);
            }
            if (b != 1) {
                log += (b - 1) * Math.log1p(-u / (1 - mean));
            }
            return Math.exp(log);
        }

        /** P(X <= t); taken as 0 or 1 beyond the 40σ panels (the mass there is below 1e-17). */
        double cdf(double t) {
            if (t <= lower()) {
                return 0.0;
            }
            if (t >= upper()) {
                return 1.0;
            }
            return t <= mean ? Beta.regularizedBeta(t, a, b) : 1 - Beta.regularizedBeta(1 - t, b, a);
        }

        /** P(X > t), the small tail computed directly rather than as 1 − cdf. */
        double survival(double t) {
            if (t <= lower()) {
                return 1.0;
            }
            if (t >= upper()) {
                return 0.0;
            }
            return t <= mean ? 1 - Beta.regularizedBeta(t, a, b) : Beta.regularizedBeta(1 - t, b, a);
        }
    }

    /**
     * @param probabilityToBeatControl posterior probability that treatment is better than control
     * @param expectedLoss             expected amount by which treatment is worse, if shipped
     */
    public record Result(double probabilityToBeatControl, double expectedLoss) {
    }
}
