package io.splitline.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * Absolute and relative lift of treatment over control with confidence intervals.
 * <ul>
 * <li>Absolute lift of a proportion: <b>Newcombe's hybrid score interval</b> (Newcombe 1998, method 10)
 * built from the two Wilson intervals (l, u):
 * {@code [d − sqrt((p_T − l_T)² + (u_C − p_C)²), d + sqrt((u_T − p_T)² + (p_C − l_C)²)]}, d = p_T − p_C.
 * It stays meaningful with 0 or all conversions, where the Wald interval collapses to a point.</li>
 * <li>Absolute lift of a mean: the Welch interval {@code d ± t_{df, 1−α/2} · sqrt(s_T²/n_T + s_C²/n_C)}
 * with the Welch–Satterthwaite df, matching Welch's t-test.</li>
 * <li>Relative lift {@code r = m_T/m_C − 1} with the <b>delta method</b> for a ratio of independent
 * means: {@code Var(r) ≈ Var(m_T)/m_C² + m_T²·Var(m_C)/m_C⁴}, {@code Var(m) = σ²/n} (σ² = p(1−p) for
 * proportions, s² for means), interval {@code r ± t_{df, 1−α/2}·sqrt(Var(r))} with the Welch–Satterthwaite
 * df of the two means (see {@link EffectTest#relative}): the t quantile keeps the coverage near nominal at
 * 10 units per arm, where the normal one falls to 93 %.</li>
 * </ul>
 */
public final class LiftEstimates {
    private LiftEstimates() {
    }

    /** Lift of a conversion rate. */
    /** The note of a comparison with an empty arm: the same words as the test's, so it is shown once. */
    public static final String NO_UNITS = "an arm has no units";

    public static Lift proportions(ProportionSample control, ProportionSample treatment, double confidence) {
        List<String> notes = new ArrayList<>();
        if (control.units() == 0 || treatment.units() == 0) {
            notes.add(NO_UNITS);
            return new Lift(null, null, null, null, notes);
        }
        double pc = control.rate();
        double pt = treatment.rate();
        double d = pt - pc;
        Interval wc = ConfidenceIntervals.wilson(control, confidence);
        Interval wt = ConfidenceIntervals.wilson(treatment, confidence);
        double lower = d - Math.hypot(pt - wt.lower(), wc.upper() - pc);
        double upper = d + Math.hypot(wt.upper() - pt, pc - wc.lower());
        return deltaMethod(control, treatment, confidence, new Lift(d, new Interval(lower, upper), null, null, notes));
    }

    /** Lift of a mean of per-unit totals. */
    public static Lift means(MeanSample control, MeanSample treatment, double confidence) {
        List<String> notes = new ArrayList<>();
        if (control.units() == 0 || treatment.units() == 0) {
            notes.add(NO_UNITS);
            return new Lift(null, null, null, null, notes);
        }
        double d = treatment.mean() - control.mean();
        Interval absoluteCi = null;
        if (control.units() < 2 || treatment.units() < 2) {
            notes.add("the absolute lift interval needs at least 2 units per arm");
        } else {
            double se2 = control.variance() / control.units() + treatment.variance() / treatment.units();
            if (se2 > 0) {
                double df = TwoSampleTests.welchDegreesOfFreedom(control, treatment);
                double half = Distributions.studentUpperQuantile((1 - confidence) / 2, df) * Math.sqrt(se2);
                absoluteCi = new Interval(d - half, d + half);
            } else {
                notes.add("no variance in either arm: the absolute lift interval is undefined");
            }
        }
        return deltaMethod(control, treatment, confidence, new Lift(d, absoluteCi, null, null, notes));
    }

    /** Adds the relative lift and its interval (the relative {@link EffectTest}); shared by both metric types. */
    private static Lift deltaMethod(Sample control, Sample treatment, double confidence, Lift absolute) {
        List<String> notes = new ArrayList<>(absolute.notes());
        double mc = control.mean();
        if (mc == 0) {
            notes.add("control is 0: the relative lift is undefined");
            return new Lift(absolute.absolute(), absolute.absoluteCi(), null, null, notes);
        }
        EffectTest test = EffectTest.relative(control, treatment);
        if (!test.defined()) {
            notes.add("the relative lift interval is undefined: " + test.note());
        }
        return new Lift(absolute.absolute(), absolute.absoluteCi(), treatment.mean() / mc - 1,
                test.interval(1 - confidence), notes);
    }
}
