package io.splitline.stats;

/**
 * Confidence intervals for one arm.
 * <ul>
 * <li>Proportions: the <b>Wilson score interval</b>,
 * {@code (x + z²/2)/(n + z²) ± z/(n + z²) · sqrt(x(n−x)/n + z²/4)} with z the two-sided normal quantile.
 * Unlike the Wald interval it stays inside [0, 1] and keeps its coverage near 0 and 1 conversions, which
 * is where new experiments start.</li>
 * <li>Means: the <b>Student t interval</b> {@code mean ± t_{n−1, 1−α/2} · s/√n} with the sample standard
 * deviation s; for large n it coincides with the normal interval.</li>
 * </ul>
 * Undefined cases return null: no units (both), a single unit (the mean interval needs a variance).
 */
public final class ConfidenceIntervals {
    private ConfidenceIntervals() {
    }

    /** Wilson score interval at {@code confidence}, or null when there are no units. */
    public static Interval wilson(ProportionSample sample, double confidence) {
        long n = sample.units();
        if (n == 0) {
            return null;
        }
        double z = Distributions.normalUpperQuantile((1 - confidence) / 2);
        double x = sample.conversions();
        double z2 = z * z;
        double center = (x + z2 / 2) / (n + z2);
        double half = z / (n + z2) * Math.sqrt(x * (n - x) / n + z2 / 4);
        // at x = 0 (x = n) the bound is exactly 0 (1); computing it as center ∓ half leaves rounding dust
        double lower = x == 0 ? 0.0 : Math.max(0.0, center - half);
        double upper = x == n ? 1.0 : Math.min(1.0, center + half);
        return new Interval(lower, upper);
    }

    /** Student t interval of the mean at {@code confidence}, or null with fewer than 2 units. */
    public static Interval mean(MeanSample sample, double confidence) {
        long n = sample.units();
        if (n < 2) {
            return null;
        }
        double t = Distributions.studentUpperQuantile((1 - confidence) / 2, n - 1);
        double half = t * Math.sqrt(sample.variance() / n);
        return new Interval(sample.mean() - half, sample.mean() + half);
    }
}
