package io.splitline.stats;

/**
 * P(X &gt; Y) and E[(Y − X)⁺] for independent Beta posteriors X and Y in closed form, from the
 * second-order Edgeworth expansion of Δ = X − Y. {@link BayesianComparison} uses it instead of its
 * quadrature once every shape parameter of both posteriors is at least {@link #MIN_SHAPE} (10 000
 * conversions and 10 000 non-conversions per arm), where the expansion is most exact; it costs microseconds
 * where the quadrature ({@link BetaPairIntegrals}) costs hundreds.
 *
 * <p>With κ₁…κ₄ the cumulants of Δ (sums and differences of the two Betas' exact cumulants), σ = √κ₂,
 * γ = κ₃/σ³, κ = κ₄/σ⁴ and w = −κ₁/σ, the expansion of Δ's standardised distribution function is
 * {@code F(w) = Φ(w) − φ(w)[γ/6·He₂(w) + κ/24·He₃(w) + γ²/72·He₅(w)]} (Hermite polynomials He), so
 * {@code P(X > Y) = 1 − F(w)} and, integrating it, {@code E[(Y − X)⁺] = ∫_{−∞}^{0} F_Δ =
 * σ[w·Φ(w) + φ(w)(1 + γ/6·He₁(w) + κ/24·He₂(w) + γ²/72·He₄(w))]}.
 *
 * <h2>Error bound</h2>
 * The omitted terms are of order n^{−3/2} in the smaller shape parameter. Within the gate the error is at most
 * {@link #TOLERANCE} (10⁻⁶) absolute on the probability and 10⁻⁶·σ on the expected loss (σ: the posterior
 * standard deviation of the difference, the scale of the loss). That is tested, not only derived:
 * {@code BetaDifferenceApproximationTest} checks it on a grid of arms from 10⁴ to 10⁹ units (rates
 * 0.1 %–99 %, arms of unequal size up to 1:1 000, lifts from none to decisive) against the quadrature and
 * against scipy's ({@code stats/beta_approximation_reference.py}); the largest error found is ~3·10⁻⁸.
 */
final class BetaDifferenceApproximation {
    /** Smallest shape parameter (of either posterior) for which the expansion is used. */
    static final double MIN_SHAPE = 10_000;
    /** The tested bound: absolute on the probability, relative to σ on the expected loss. */
    static final double TOLERANCE = 1e-6;

    private BetaDifferenceApproximation() {
    }

    /** Whether the expansion is within {@link #TOLERANCE} for Beta(ax, bx) against Beta(ay, by). */
    static boolean applies(double ax, double bx, double ay, double by) {
        return Math.min(Math.min(ax, bx), Math.min(ay, by)) >= MIN_SHAPE;
    }

    /** P(X &gt; Y) and E[(Y − X)⁺] for X ~ Beta(ax, bx) and Y ~ Beta(ay, by), independent. */
    static Comparison compare(double ax, double bx, double ay, double by) {
        Cumulants x = Cumulants.of(ax, bx);
        Cumulants y = Cumulants.of(ay, by);
        double variance = x.variance + y.variance;
        double sd = Math.sqrt(variance);
        double skew = (x.third - y.third) / (variance * sd);
        double kurtosis = (x.fourth + y.fourth) / (variance * variance);
        double w = -(x.mean - y.mean) / sd;
        double w2 = w * w;
        double density = Distributions.normalDensity(w);
        double cdfCorrection = density * (skew / 6 * (w2 - 1) + kurtosis / 24 * (w2 - 3) * w
                + skew * skew / 72 * ((w2 - 10) * w2 + 15) * w);
        double greater = Distributions.normalCdf(-w) + cdfCorrection;
        double shortfall = sd * (w * Distributions.normalCdf(w) + density * (1 + skew / 6 * w
                + kurtosis / 24 * (w2 - 1) + skew * skew / 72 * ((w2 - 6) * w2 + 3)));
        return new Comparison(greater, shortfall, sd);
    }

    /**
     * @param probabilityGreater P(X &gt; Y)
     * @param expectedShortfall  E[(Y − X)⁺]
     * @param sd                 the standard deviation of X − Y, the scale of the loss's bound
     */
    record Comparison(double probabilityGreater, double expectedShortfall, double sd) {
    }

    /** Mean, variance and third and fourth cumulants of Beta(a, b), exact. */
    private record Cumulants(double mean, double variance, double third, double fourth) {
        static Cumulants of(double a, double b) {
            double n = a + b;
            double variance = a * b / (n * n * (n + 1));
            double sd = Math.sqrt(variance);
            double skewness = 2 * (b - a) * Math.sqrt(n + 1) / ((n + 2) * Math.sqrt(a * b));
            double excessKurtosis = 6 * ((a - b) * (a - b) * (n + 1) - a * b * (n + 2)) / (a * b * (n + 2) * (n + 3));
            return new Cumulants(a / n, variance, skewness * variance * sd, excessKurtosis * variance * variance);
        }
    }
}
