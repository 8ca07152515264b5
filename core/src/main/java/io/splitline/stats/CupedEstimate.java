package io.splitline.stats;

/**
 * CUPED (Deng, Xu, Kohavi &amp; Walker 2013): the treatment effect on a metric y adjusted by a pre-exposure
 * covariate x, computed from the two arms' {@link CovariateMoments} alone.
 *
 * <ul>
 * <li>θ is pooled across the two arms, the within-arm least-squares slope
 * {@code θ = (S_xy,C + S_xy,T) / (S_xx,C + S_xx,T)} (S the centred sums of each arm). It is the coefficient
 * of x in the ordinary least-squares fit {@code y ~ 1 + treatment + x}, and the adjusted difference below
 * is that fit's treatment coefficient.</li>
 * <li>Each arm's adjusted mean is {@code ȳᵢ − θ·(x̄ᵢ − x̄)}, x̄ the mean of x over both arms, and its per-unit
 * variance that of {@code y − θx} in the arm, {@code (S_yy − 2θ·S_xy + θ²·S_xx) / (n − 1)}. The two adjusted
 * arms then go through the same {@link EffectTest} as the raw estimate (relative lift by the delta method
 * when defined, else the absolute Welch test), so the adjusted estimate, interval and p-value come from one
 * statistic; θ is treated as known, as in the paper and in GrowthBook (its estimation error is O(1/n)).</li>
 * <li>{@code varianceReduction = 1 − Var_adj(ȳ_T − ȳ_C) / Var_raw(ȳ_T − ȳ_C)} with the per-arm sample
 * variances: ≈ ρ² for a covariate of correlation ρ with the metric, so interval widths shrink by
 * ≈ √(1 − ρ²). It can be negative (an unhelpful covariate in small samples).</li>
 * </ul>
 *
 * @param theta             the pooled θ (0 when x has no variance)
 * @param adjustedControl   control's adjusted mean and per-unit variance
 * @param adjustedTreatment treatment's adjusted mean and per-unit variance
 * @param varianceReduction share of the variance of the difference removed, or null when the raw
 *                          difference has no variance
 * @param test              the deciding test on the adjusted arms
 * @param note              why nothing is adjusted (x has no variance), or null
 */
public record CupedEstimate(double theta, MeanSample adjustedControl, MeanSample adjustedTreatment,
                            Double varianceReduction, EffectTest test, String note) {
    /** The note when the covariate is constant over both arms (θ = 0: the raw estimate, unchanged). */
    public static final String NO_COVARIATE_VARIANCE = "the pre-exposure covariate has no variance: CUPED adjusts nothing";

    /** CUPED of treatment against control. */
    public static CupedEstimate of(CovariateMoments control, CovariateMoments treatment) {
        double sxx = control.centredXX() + treatment.centredXX();
        double theta = sxx > 0 ? (control.centredXY() + treatment.centredXY()) / sxx : 0.0;
        long n = control.units() + treatment.units();
        double pooledMeanX = n == 0 ? 0
                : (control.meanX() * control.units() + treatment.meanX() * treatment.units()) / n;
        MeanSample c = adjusted(control, theta, pooledMeanX);
        MeanSample t = adjusted(treatment, theta, pooledMeanX);
        double raw = differenceVariance(control.centredYY(), control.units(), treatment.centredYY(), treatment.units());
        double adjusted = differenceVariance(c.variance() * (c.units() - 1), c.units(),
                t.variance() * (t.units() - 1), t.units());
        Double reduction = raw > 0 ? 1 - adjusted / raw : null;
        return new CupedEstimate(theta, c, t, reduction, EffectTest.decisive(c, t), sxx > 0 ? null : NO_COVARIATE_VARIANCE);
    }

    private static MeanSample adjusted(CovariateMoments arm, double theta, double pooledMeanX) {
        long n = arm.units();
        if (n == 0) {
            return new MeanSample(0, 0, 0);
        }
        double mean = arm.meanY() - theta * (arm.meanX() - pooledMeanX);
        if (n == 1) {
            return new MeanSample(1, mean, 0);
        }
        double ss = arm.centredYY() - 2 * theta * arm.centredXY() + theta * theta * arm.centredXX();
        return new MeanSample(n, mean, Math.max(0, ss) / (n - 1));
    }

    /** Var(ȳ_T − ȳ_C) from the centred sums of squares; 0 while an arm has fewer than 2 units. */
    private static double differenceVariance(double ssC, long nC, double ssT, long nT) {
        if (nC < 2 || nT < 2) {
            return 0;
        }
        return ssC / ((double) nC * (nC - 1)) + ssT / ((double) nT * (nT - 1));
    }
}
