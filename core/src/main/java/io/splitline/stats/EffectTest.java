package io.splitline.stats;

/**
 * The test that decides whether treatment differs from control, together with the interval that goes
 * with it. The p-value and every interval come from one statistic, {@code t = estimate / standardError}
 * referred to Student's t with {@code degreesOfFreedom}, so for any error rate γ the interval at level
 * 1 − γ excludes 0 exactly when {@code pValue ≤ γ}: a decision can never quote an interval from a
 * different test than the one that made it.
 *
 * <h2>Scales</h2>
 * <ul>
 * <li><b>Relative</b> ({@link #RELATIVE}, preferred): r = m_T/m_C − 1 with the delta-method variance of a
 * ratio of independent means, {@code Var(r) ≈ v_T/m_C² + m_T²·v_C/m_C⁴}, vᵢ = σᵢ²/nᵢ (σ² = p(1−p) for a
 * conversion, the sample variance s² for a mean).</li>
 * <li><b>Absolute</b> ({@link #ABSOLUTE}, when the relative lift is undefined: control at 0, or a delta
 * variance of 0): d = m_T − m_C with {@code Var(d) = v_T + v_C}; for a mean this is Welch's t-test.</li>
 * </ul>
 * Both use the <b>Welch–Satterthwaite</b> degrees of freedom of the two means,
 * {@code df = (v_T + v_C)² / (v_T²/(n_T−1) + v_C²/(n_C−1))}, as GrowthBook's gbstats does for its
 * delta-method relative effects: with few units (10 per arm, or 40 against 4) the normal quantile covers
 * only 88–93 % instead of 95 %, the t quantile about 94–95 % (see SimulationTest).
 *
 * <p>Undefined (fewer than 2 units in an arm, or no variance at all): p = 1, no interval, and a note.
 *
 * @param method           what was tested, e.g. {@value #RELATIVE}
 * @param estimate         the relative or absolute lift
 * @param standardError    its standard error; 0 when undefined
 * @param degreesOfFreedom Welch–Satterthwaite df; 0 when undefined
 * @param statistic        estimate / standardError; 0 when undefined
 * @param pValue           two-sided p-value; 1 when undefined
 * @param note             why the test is undefined, or null when it is defined
 */
public record EffectTest(String method, double estimate, double standardError, double degreesOfFreedom,
                         double statistic, double pValue, String note) {
    /** The method name of a test of the relative lift. */
    public static final String RELATIVE = "welch-t, relative lift, delta method";
    /** The method name of a test of the absolute lift. */
    public static final String ABSOLUTE = "welch-t, absolute lift";

    /** The relative test when it is defined, else the absolute one (which may itself be undefined). */
    public static EffectTest decisive(Sample control, Sample treatment) {
        EffectTest relative = relative(control, treatment);
        return relative.defined() ? relative : absolute(control, treatment);
    }

    /** The test of the relative lift m_T/m_C − 1. */
    public static EffectTest relative(Sample control, Sample treatment) {
        String tooFew = tooFewUnits(control, treatment);
        if (tooFew != null) {
            return undefined(RELATIVE, tooFew);
        }
        double mc = control.mean();
        if (mc == 0) {
            return undefined(RELATIVE, "control is 0: the relative lift is undefined");
        }
        double mt = treatment.mean();
        double vc = control.unitVariance() / control.units();
        double vt = treatment.unitVariance() / treatment.units();
        double variance = vt / (mc * mc) + mt * mt * vc / (mc * mc * mc * mc);
        if (!(variance > 0) || !Double.isFinite(variance)) {
            return undefined(RELATIVE, "no variance for the delta method: the relative lift test is undefined");
        }
        return of(RELATIVE, mt / mc - 1, Math.sqrt(variance), TwoSampleTests.welchDegreesOfFreedom(control, treatment));
    }

    /** The test of the absolute lift m_T − m_C (Welch's t-test). */
    public static EffectTest absolute(Sample control, Sample treatment) {
        String tooFew = tooFewUnits(control, treatment);
        if (tooFew != null) {
            return undefined(ABSOLUTE, tooFew);
        }
        double variance = control.unitVariance() / control.units() + treatment.unitVariance() / treatment.units();
        if (!(variance > 0)) {
            return undefined(ABSOLUTE, "no variance in either arm: the test is undefined");
        }
        return of(ABSOLUTE, treatment.mean() - control.mean(), Math.sqrt(variance),
                TwoSampleTests.welchDegreesOfFreedom(control, treatment));
    }

    private static String tooFewUnits(Sample control, Sample treatment) {
        return control.units() < 2 || treatment.units() < 2 ? "the t-test needs at least 2 units per arm" : null;
    }

    private static EffectTest of(String method, double estimate, double standardError, double df) {
        double t = estimate / standardError;
        return new EffectTest(method, estimate, standardError, df, t, Distributions.studentTwoSided(t, df), null);
    }

    private static EffectTest undefined(String method, String note) {
        return new EffectTest(method, 0.0, 0.0, 0.0, 0.0, 1.0, note);
    }

    /** "relative" or "absolute": the scale of {@code estimate} and of the intervals. */
    public String scale() {
        return RELATIVE.equals(method) ? "relative" : "absolute";
    }

    /** False when the data cannot support the test. */
    public boolean defined() {
        return note == null;
    }

    /**
     * The interval {@code estimate ± t(df, 1 − γ/2)·standardError} at confidence 1 − γ, or null when the
     * test is undefined. It excludes 0 exactly when {@code pValue ≤ γ}.
     *
     * @param errorRate γ in (0, 1)
     */
    public Interval interval(double errorRate) {
        if (!defined()) {
            return null;
        }
        double half = Distributions.studentUpperQuantile(errorRate / 2, degreesOfFreedom) * standardError;
        return new Interval(estimate - half, estimate + half);
    }
}
