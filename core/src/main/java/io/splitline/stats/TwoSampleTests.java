package io.splitline.stats;

/**
 * Two-sided tests of treatment against control.
 * <ul>
 * <li><b>Pooled two-proportion z-test</b>: {@code p̄ = (x_C + x_T)/(n_C + n_T)},
 * {@code z = (p_T − p_C) / sqrt(p̄(1−p̄)(1/n_C + 1/n_T))}, {@code p = 2·P(Z ≥ |z|)}. Under the null
 * hypothesis both arms share one rate, so its pooled estimate gives the standard error.</li>
 * <li><b>Welch's t-test</b>: {@code t = (m_T − m_C) / sqrt(s_T²/n_T + s_C²/n_C)} with the
 * Welch–Satterthwaite degrees of freedom
 * {@code df = (s_T²/n_T + s_C²/n_C)² / ((s_T²/n_T)²/(n_T−1) + (s_C²/n_C)²/(n_C−1))},
 * {@code p = 2·P(T_df ≥ |t|)}. It does not assume equal variances, which revenue-like metrics rarely have.</li>
 * </ul>
 * Undefined cases (an empty arm, fewer than two units for Welch, no variation at all) give p = 1 with a
 * note: no data is no evidence of a difference, and a test must never claim significance from it.
 *
 * <p>Experiment results decide with {@link EffectTest} (whose absolute form is this Welch test), so that
 * the interval quoted and the p-value come from one statistic; the pooled z-test is the test that
 * {@link PowerAnalysis} plans the sample size for.
 */
public final class TwoSampleTests {
    private TwoSampleTests() {
    }

    /** Pooled two-proportion z-test, treatment minus control. */
    public static TestResult zTest(ProportionSample control, ProportionSample treatment) {
        if (control.units() == 0 || treatment.units() == 0) {
            return TestResult.undefined(LiftEstimates.NO_UNITS);
        }
        double pooled = (double) (control.conversions() + treatment.conversions())
                / ((double) control.units() + treatment.units());
        double variance = pooled * (1 - pooled) * (1.0 / control.units() + 1.0 / treatment.units());
        if (!(variance > 0)) {
            return TestResult.undefined("no variation: every unit has the same outcome");
        }
        double z = (treatment.rate() - control.rate()) / Math.sqrt(variance);
        return new TestResult(z, null, Distributions.normalTwoSided(z), true, null);
    }

    /** Welch's unequal-variances t-test, treatment minus control. */
    public static TestResult welch(MeanSample control, MeanSample treatment) {
        if (control.units() < 2 || treatment.units() < 2) {
            return TestResult.undefined("Welch's t-test needs at least 2 units per arm");
        }
        double vc = control.variance() / control.units();
        double vt = treatment.variance() / treatment.units();
        double se2 = vc + vt;
        if (!(se2 > 0)) {
            return TestResult.undefined("no variance in either arm: the t-test is undefined");
        }
        double df = welchDegreesOfFreedom(control, treatment);
        double t = (treatment.mean() - control.mean()) / Math.sqrt(se2);
        return new TestResult(t, df, Distributions.studentTwoSided(t, df), true, null);
    }

    /**
     * Welch–Satterthwaite degrees of freedom of the two means, from each arm's per-unit variance;
     * requires both arms with 2+ units and some variance.
     */
    static double welchDegreesOfFreedom(Sample control, Sample treatment) {
        double vc = control.unitVariance() / control.units();
        double vt = treatment.unitVariance() / treatment.units();
        double se2 = vc + vt;
        return se2 * se2 / (vc * vc / (control.units() - 1) + vt * vt / (treatment.units() - 1));
    }
}
