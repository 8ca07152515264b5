package io.splitline.stats;

import io.splitline.experiment.Direction;

/**
 * Always-valid p-values from the <b>mixture sequential probability ratio test</b> (mSPRT; Robbins 1970,
 * Johari, Pekelis and Walsh 2017, "Always valid inference", the method behind Optimizely's stats engine)
 * on the normal approximation of the difference of means θ = m_T − m_C.
 *
 * <h2>Statistic</h2>
 * With the estimate θ̂ and its variance V, the likelihood ratio of θ against θ = 0 is
 * {@code exp((θθ̂ − θ²/2)/V)}. Mixing θ over a prior H gives Λ = ∫ LR dH:
 * <ul>
 * <li>two-sided, H = N(0, τ²): {@code Λ = (1 + ρ)^{-1/2} · exp(z²ρ / (2(1 + ρ)))}, z = θ̂/√V, ρ = τ²/V;</li>
 * <li>one-sided (only the bad direction), H = half-normal on the bad side:
 * {@code Λ = 2·(1 + ρ)^{-1/2} · Φ(x) · exp(x²/2)}, x = s·z·sqrt(ρ/(1+ρ)) with s = +1 when a higher
 * value is bad, −1 otherwise. For x ≤ 0 (estimate on the good side or zero), Λ ≤ 1.</li>
 * </ul>
 * The p-value is {@code min(1, 1/Λ)}, computed in log space (no overflow at 10⁹ units).
 *
 * <h2>Why rejecting at any look is safe</h2>
 * Under the null hypothesis (θ = 0; for the one-sided test any θ on the good side) Λₙ is a non-negative
 * (super)martingale with Λ₀ = 1, so by <b>Ville's inequality</b> {@code P(∃n: Λₙ ≥ 1/α) ≤ α}: rejecting
 * the first time p ≤ α, after any number of looks at any times, keeps the false-positive rate at most α.
 * Results are computed from the current aggregates only, so the p-value reported is 1/Λ at this look;
 * a caller that keeps history may report the running minimum, which is equally valid.
 *
 * <h2>Variance and mixing variance τ²</h2>
 * Conversion metrics use the pooled variance (as the z-test): {@code V = p̄(1−p̄)(1/n_C + 1/n_T)},
 * σ² = p̄(1−p̄); it is the variance under the null hypothesis and stays positive when one arm has no
 * conversions. Means use {@code V = s_T²/n_T + s_C²/n_C} and the pooled σ² of Cohen's d. The mixing
 * standard deviation is set on the standardised scale, {@code τ = τ_d·σ}, with
 * {@link #DEFAULT_MIXING_EFFECT_SIZE} τ_d = 0.1: the mixture concentrates on effects of about a tenth of a
 * standard deviation (Cohen's d or h around 0.1), the size of effects that online experiments and
 * guardrail regressions (an error rate doubling from 1 % to 2 % is h ≈ 0.08) actually have. A larger τ
 * detects large effects sooner and small ones later. The plug-in variance estimates make the guarantee
 * asymptotic, as in Johari et al.; the simulation tests check it at 100-unit looks.
 *
 * <h2>Mixing variance from α and an expected sample size</h2>
 * {@link #tunedMixingEffectSize} picks τ_d so that the always-valid interval is narrowest when each arm has the
 * expected number of units n* (Howard et al. 2021, "Time-uniform, nonparametric, nonasymptotic
 * confidence sequences"; GrowthBook's {@code sequential_tuning_parameter}). The half-width below is
 * proportional to {@code sqrt((1+ρ)/ρ · (c + ln(1+ρ)))}, c = −2 ln α, which is smallest where
 * ρ = c + ln(1 + ρ); one fixed-point step from ρ = c gives ρ* = c + ln(1 + c). With equal arms of n*
 * units, V = 2σ²/n*, so ρ = τ_d²·n* / 2 and {@code τ_d = sqrt(2·(c + ln(1 + c)) / n*)}: the choice of
 * gbstats' {@code ρ² = (c + ln(1 + c))/N*}, here made on our scale of the mixing variance.
 * At α = 0.05, τ_d = 0.1 (the default here, kept by the rollout guardrails) corresponds to n* ≈ 1 587.
 *
 * <h2>Always-valid interval</h2>
 * Inverting the two-sided test gives the confidence sequence {θ₀ : Λ(θ₀) &lt; 1/α}, where Λ(θ₀) is the
 * statistic with θ̂ − θ₀ in place of θ̂: {@code θ̂ ± sqrt(V·(1+ρ)/ρ · (−2 ln α + ln(1+ρ)))}. It excludes 0
 * exactly when the two-sided p-value is at most α, and by Ville's inequality it covers θ at every look
 * at once with probability at least 1 − α. It uses the same V as the p-value (pooled for conversions, the
 * variance under θ = 0; close to the unpooled one whenever the two rates are close).
 */
public final class SequentialTest {
    /** Mixing standard deviation τ_d in units of the per-unit standard deviation. */
    public static final double DEFAULT_MIXING_EFFECT_SIZE = 0.1;

    private final double mixingEffectSize;

    public SequentialTest() {
        this(DEFAULT_MIXING_EFFECT_SIZE);
    }

    /** @param mixingEffectSize τ_d, the mixing standard deviation in per-unit standard deviations, > 0 */
    public SequentialTest(double mixingEffectSize) {
        if (!(mixingEffectSize > 0) || !Double.isFinite(mixingEffectSize)) {
            throw new IllegalArgumentException("mixing effect size must be positive and finite");
        }
        this.mixingEffectSize = mixingEffectSize;
    }

    /**
     * τ_d = sqrt(2·(c + ln(1 + c)) / n*), c = −2 ln α: the mixture tuned for {@code expectedUnitsPerArm}
     * units per arm at {@code alpha} (see the class comment).
     */
    public static double tunedMixingEffectSize(double alpha, double expectedUnitsPerArm) {
        if (!(alpha > 0 && alpha < 1) || !(expectedUnitsPerArm >= 1) || !Double.isFinite(expectedUnitsPerArm)) {
            throw new IllegalArgumentException("need alpha in (0, 1) and at least 1 expected unit per arm");
        }
        double c = -2 * Math.log(alpha);
        return Math.sqrt(2 * (c + Math.log1p(c)) / expectedUnitsPerArm);
    }

    /**
     * Always-valid interval at confidence 1 − α for θ = m_T − m_C, the set of θ₀ the two-sided test does
     * not reject; null when the data cannot support the test.
     */
    public Interval twoSidedInterval(Sample control, Sample treatment, double alpha) {
        Normalised n = normalise(control, treatment);
        if (n == null) {
            return null;
        }
        double half = Math.sqrt(n.variance * (1 + n.rho) / n.rho * (-2 * Math.log(alpha) + Math.log1p(n.rho)));
        return new Interval(n.difference - half, n.difference + half);
    }

    /** Two-sided always-valid p-value for any difference between treatment and control. */
    public Result twoSided(Sample control, Sample treatment) {
        Normalised n = normalise(control, treatment);
        if (n == null) {
            return Result.NO_EVIDENCE;
        }
        double z = n.z();
        double logLambda = -0.5 * Math.log1p(n.rho) + z * z * n.rho / (2 * (1 + n.rho));
        return new Result(z, pValue(logLambda));
    }

    /**
     * One-sided always-valid p-value for "treatment is worse than control", worse meaning higher for a
     * {@link Direction#DECREASE} metric and lower for an {@link Direction#INCREASE} one. The statistic is
     * z oriented so that positive means worse.
     */
    public Result worse(Sample control, Sample treatment, Direction direction) {
        Normalised n = normalise(control, treatment);
        if (n == null) {
            return Result.NO_EVIDENCE;
        }
        double zBad = direction == Direction.DECREASE ? n.z() : -n.z();
        double x = zBad * Math.sqrt(n.rho / (1 + n.rho));
        if (!(x > 0)) {
            return new Result(zBad, 1.0);
        }
        double logLambda = Math.log(2) - 0.5 * Math.log1p(n.rho) + Math.log(Distributions.normalCdf(x)) + x * x / 2;
        return new Result(zBad, pValue(logLambda));
    }

    private static double pValue(double logLambda) {
        return logLambda <= 0 ? 1.0 : Math.exp(-logLambda);
    }

    private Normalised normalise(Sample control, Sample treatment) {
        double v;
        double sigma2;
        if (control instanceof ProportionSample c && treatment instanceof ProportionSample t) {
            if (c.units() == 0 || t.units() == 0) {
                return null;
            }
            double pooled = (double) (c.conversions() + t.conversions()) / ((double) c.units() + t.units());
            sigma2 = pooled * (1 - pooled);
            v = sigma2 * (1.0 / c.units() + 1.0 / t.units());
        } else if (control instanceof MeanSample c && treatment instanceof MeanSample t) {
            if (c.units() < 2 || t.units() < 2) {
                return null;
            }
            v = c.variance() / c.units() + t.variance() / t.units();
            sigma2 = ((c.units() - 1) * c.variance() + (t.units() - 1) * t.variance()) / (c.units() + t.units() - 2);
        } else {
            throw new IllegalArgumentException("control and treatment must be samples of the same kind");
        }
        if (!(v > 0) || !(sigma2 > 0)) {
            return null;
        }
        double tau2 = mixingEffectSize * mixingEffectSize * sigma2;
        return new Normalised(treatment.mean() - control.mean(), v, tau2 / v);
    }

    /** The estimate θ̂, its variance V and ρ = τ²/V. */
    private record Normalised(double difference, double variance, double rho) {
        double z() {
            return difference / Math.sqrt(variance);
        }
    }

    /**
     * One look of the test.
     *
     * @param statistic z of the difference (for {@link #worse}: oriented so that positive is worse)
     * @param pValue    always-valid p-value in [0, 1]; 1 when the data cannot support the test
     */
    public record Result(double statistic, double pValue) {
        static final Result NO_EVIDENCE = new Result(0.0, 1.0);
    }
}
