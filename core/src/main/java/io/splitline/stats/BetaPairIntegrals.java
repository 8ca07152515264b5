package io.splitline.stats;

import io.splitline.stats.BayesianComparison.BetaPosterior;
import java.util.TreeSet;

/**
 * P(X &gt; Y), E[(X − Y)⁺] and E[(Y − X)⁺] for independent Beta posteriors X and Y, in one pass of
 * Clenshaw–Curtis quadrature whose distribution functions come from the same density values instead of
 * from incomplete beta functions.
 *
 * <p>The range (both posteriors' μ ± 40σ, within [0, 1]) is cut into panels at μ ± {0, 1.5, 3, 6, 12}·σ of
 * both. On each panel both densities are sampled at the {@link #DEGREE} + 1 Chebyshev–Lobatto points; the
 * interpolating polynomial of degree {@value #DEGREE} is integrated from the panel's start to every point
 * (a fixed matrix, {@link #INTEGRAL}), which with the masses of the panels before gives F_X and F_Y at the
 * points, and 1 − F as the mass of the panels after (so a tail keeps its own precision). The three
 * integrals {@code ∫ f_X F_Y}, {@code ∫ F_Y (1 − F_X)} and {@code ∫ F_X (1 − F_Y)} are then the
 * Clenshaw–Curtis sums over the same points. Densities are normalised by their own quadrature, as the
 * Gauss–Legendre rule this replaces did. The cost is ~900 evaluations of the density (an {@code exp} and
 * two {@code log1p}) per comparison, where that rule needed ~800 regularized incomplete beta functions,
 * each a continued fraction that grows with the counts.
 *
 * <p>Exactness: a posterior's density t^(a−1)(1 − t)^(b−1) is a polynomial, of degree a + b − 2, which
 * the rule reproduces exactly for arms of up to ~20 units; larger arms are smooth on panels a few σ wide.
 * {@code BetaPairIntegralsTest} checks the results against scipy on arms from 0 to 10⁸ units
 * ({@code stats/beta_pair_reference.py}) within {@link #TOLERANCE} (the losses within TOLERANCE·sd, or
 * {@link #LOSS_FLOOR} where that is larger).
 */
final class BetaPairIntegrals {
    /** Degree of the interpolating polynomial on each panel (points per panel − 1). */
    static final int DEGREE = 20;
    /** The tested bound: absolute on the probability, relative to the posterior sd of X − Y on the losses. */
    static final double TOLERANCE = 1e-9;
    /**
     * The losses' absolute floor, for posteriors so narrow (sd ~10⁻⁸, arms of 10⁸ units converting at 0 or
     * 100 %) that the spacing of doubles near 0 or 1 limits where a density can be evaluated.
     */
    static final double LOSS_FLOOR = 1e-10;
    private static final double[] CUTS = {-12, -6, -3, -1.5, 0, 1.5, 3, 6, 12};
    /** Chebyshev–Lobatto points on [−1, 1], ascending. */
    private static final double[] POINT = new double[DEGREE + 1];
    /** INTEGRAL[i][j]: the weight of f(POINT[j]) in ∫ from −1 to POINT[i] of f's interpolant. */
    private static final double[][] INTEGRAL = new double[DEGREE + 1][DEGREE + 1];

    static {
        int n = DEGREE;
        double[] theta = new double[n + 1];
        for (int j = 0; j <= n; j++) {
            theta[j] = Math.PI - j * Math.PI / n;
            POINT[j] = Math.cos(theta[j]);
        }
        POINT[0] = -1;
        POINT[n] = 1;
        // ∫_{−1}^{x} T_k for every point and k = 0..n, from T_k(cos θ) = cos kθ.
        double[][] integralOfT = new double[n + 1][n + 1];
        for (int i = 0; i <= n; i++) {
            for (int k = 0; k <= n; k++) {
                integralOfT[i][k] = integralOfChebyshev(k, theta[i]);
            }
        }
        // The interpolant of f is Σ'' c_k T_k with c_k = (2/n) Σ''_j f_j cos(k θ_j) ('': first and last halved).
        for (int j = 0; j <= n; j++) {
            double endJ = (j == 0 || j == n) ? 0.5 : 1.0;
            for (int k = 0; k <= n; k++) {
                double endK = (k == 0 || k == n) ? 0.5 : 1.0;
                double c = 2.0 / n * endJ * Math.cos(k * theta[j]) * endK;
                for (int i = 0; i <= n; i++) {
                    INTEGRAL[i][j] += c * integralOfT[i][k];
                }
            }
        }
    }

    private BetaPairIntegrals() {
    }

    /** ∫ from −1 to cos θ of T_k. */
    private static double integralOfChebyshev(int k, double theta) {
        double x = Math.cos(theta);
        if (k == 0) {
            return x + 1;
        }
        if (k == 1) {
            return (x * x - 1) / 2;
        }
        double at = Math.cos((k + 1) * theta) / (k + 1) - Math.cos((k - 1) * theta) / (k - 1);
        double sign = (k + 1) % 2 == 0 ? 1 : -1; // T_{k±1}(−1) = (−1)^(k±1)
        double atStart = sign / (k + 1) - sign / (k - 1);
        return (at - atStart) / 2;
    }

    /** The Clenshaw–Curtis weights on [−1, 1] (for tests: they integrate polynomials up to the degree). */
    static double[] weights() {
        return INTEGRAL[DEGREE].clone();
    }

    /** The three integrals for X and Y. */
    static Integrals of(BetaPosterior x, BetaPosterior y) {
        double lo = Math.min(x.lower(), y.lower());
        double hi = Math.max(x.upper(), y.upper());
        double[] cuts = cuts(lo, hi, x, y);
        int panels = cuts.length - 1;
        int m = DEGREE + 1;
        double[] t = new double[panels * m];
        double[] fx = new double[panels * m];
        double[] fy = new double[panels * m];
        double[] leftX = new double[panels * m];
        double[] leftY = new double[panels * m];
        double[] massX = new double[panels];
        double[] massY = new double[panels];
        for (int k = 0; k < panels; k++) {
            double half = (cuts[k + 1] - cuts[k]) / 2;
            double mid = (cuts[k + 1] + cuts[k]) / 2;
            int base = k * m;
            for (int j = 0; j < m; j++) {
                double s = Math.max(cuts[k], Math.min(cuts[k + 1], mid + half * POINT[j]));
                t[base + j] = s;
                fx[base + j] = x.unnormalisedDensity(s);
                fy[base + j] = y.unnormalisedDensity(s);
            }
            for (int i = 0; i < m; i++) {
                double[] row = INTEGRAL[i];
                double sx = 0;
                double sy = 0;
                for (int j = 0; j < m; j++) {
                    sx += row[j] * fx[base + j];
                    sy += row[j] * fy[base + j];
                }
                leftX[base + i] = half * sx;
                leftY[base + i] = half * sy;
            }
            massX[k] = leftX[base + m - 1];
            massY[k] = leftY[base + m - 1];
        }
        // The mass after each panel, summed from the right so that a far tail keeps its own precision.
        double[] afterX = new double[panels];
        double[] afterY = new double[panels];
        for (int k = panels - 2; k >= 0; k--) {
            afterX[k] = afterX[k + 1] + massX[k + 1];
            afterY[k] = afterY[k + 1] + massY[k + 1];
        }
        double totalX = afterX[0] + massX[0];
        double totalY = afterY[0] + massY[0];
        double[] cc = INTEGRAL[DEGREE];
        double xAbove = 0;
        double xShortfall = 0;
        double yShortfall = 0;
        double beforeX = 0;
        double beforeY = 0;
        for (int k = 0; k < panels; k++) {
            double half = (cuts[k + 1] - cuts[k]) / 2;
            int base = k * m;
            for (int i = 0; i < m; i++) {
                double cdfX = Math.min(1, (beforeX + leftX[base + i]) / totalX);
                double cdfY = Math.min(1, (beforeY + leftY[base + i]) / totalY);
                double survivalX = Math.max(0, (afterX[k] + (massX[k] - leftX[base + i])) / totalX);
                double survivalY = Math.max(0, (afterY[k] + (massY[k] - leftY[base + i])) / totalY);
                double w = half * cc[i];
                xAbove += w * fx[base + i] / totalX * cdfY;
                xShortfall += w * cdfY * survivalX;
                yShortfall += w * cdfX * survivalY;
            }
            beforeX += massX[k];
            beforeY += massY[k];
        }
        return new Integrals(xAbove, Math.max(0.0, xShortfall), Math.max(0.0, yShortfall));
    }

    private static double[] cuts(double lo, double hi, BetaPosterior a, BetaPosterior b) {
        TreeSet<Double> points = new TreeSet<>();
        points.add(lo);
        points.add(hi);
        for (BetaPosterior p : new BetaPosterior[] {a, b}) {
            for (double k : CUTS) {
                double c = p.mean + k * p.sd;
                if (c > lo && c < hi) {
                    points.add(c);
                }
            }
            for (double end : new double[] {p.lower(), p.upper()}) {
                if (end > lo && end < hi) {
                    points.add(end);
                }
            }
        }
        return points.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * @param xAbove     P(X &gt; Y)
     * @param xShortfall E[(X − Y)⁺]
     * @param yShortfall E[(Y − X)⁺]
     */
    record Integrals(double xAbove, double xShortfall, double yShortfall) {
    }
}
