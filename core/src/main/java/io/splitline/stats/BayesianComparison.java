package io.splitline.stats;

import io.splitline.experiment.Direction;

/**
 * The Bayesian view of treatment against control: the probability that treatment beats control and
 * the expected loss of shipping it, both taking the metric's direction into account. Deterministic:
 * closed forms and fixed-node quadrature, no sampling.
 *
 * <h2>Conversion metrics: Beta–Binomial, flat prior</h2>
 * Each rate has the posterior Beta(1 + x, 1 + n − x). With C and T independent,
 * {@code P(T > C) = ∫ f_T(t) F_C(t) dt} and the expected loss of choosing T when higher is better is
 * {@code E[(C − T)⁺] = ∫ F_T(t)(1 − F_C(t)) dt} (because (C − T)⁺ = ∫ 1{T ≤ t < C} dt). Both are
 * integrated in one pass of Clenshaw–Curtis panels cut at μ ± {0, 1.5, 3, 6, 12, 40}·σ of both
 * posteriors, so a narrow posterior next to a wide one is resolved, with the distribution functions
 * integrated from the same density values ({@link BetaPairIntegrals}: within 1e-9 of scipy, tested). The
 * density f_T is evaluated as
 * {@code exp((a−1)·log1p((t−μ)/μ) + (b−1)·log1p(−(t−μ)/(1−μ)))} and normalised by its own quadrature
 * instead of through log B(a, b), whose rounding error at 10⁹ units would already be 10⁻⁶ relative;
 * beyond 40σ, where Beta tails (at most exponential) hold less than 1e-17 of the mass, it is not
 * integrated. Once both arms have at least
 * 10 000 conversions and 10 000 non-conversions, a closed form replaces the quadrature
 * ({@link BetaDifferenceApproximation}: tested to within 1e-6 of it; hundreds of times cheaper).
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
    /** Beyond μ ± 40σ a Beta tail (at most exponential) holds less than 1e-17 of the mass. */
    private static final double TAIL = 40;

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
        BetaPairIntegrals.Integrals r = BetaPairIntegrals.of(t, c);
        if (direction == Direction.DECREASE) {
            return new Result(clamp01(1 - r.xAbove()), r.xShortfall());
        }
        return new Result(clamp01(r.xAbove()), r.yShortfall());
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

    /** P(X > Y) for independent Beta posteriors. */
    static double probabilityGreater(BetaPosterior x, BetaPosterior y) {
        return BetaPairIntegrals.of(x, y).xAbove();
    }

    /** E[(X − Y)⁺] for independent Beta posteriors. */
    static double expectedShortfall(BetaPosterior x, BetaPosterior y) {
        return BetaPairIntegrals.of(x, y).xShortfall();
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
    }

    /**
     * @param probabilityToBeatControl posterior probability that treatment is better than control
     * @param expectedLoss             expected amount by which treatment is worse, if shipped
     */
    public record Result(double probabilityToBeatControl, double expectedLoss) {
    }
}
