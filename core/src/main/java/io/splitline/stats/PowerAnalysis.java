package io.splitline.stats;

import io.splitline.experiment.Direction;

/**
 * Units per variant needed to detect a relative effect with a two-sided test at level α with the given
 * power (normal approximation, equal allocation), from control's observed value.
 * <ul>
 * <li>Proportions (matching the pooled z-test): with p₁ = control's rate, p₂ = p₁·(1 + mde) for an
 * {@link Direction#INCREASE} metric or p₁·(1 − mde) for a {@link Direction#DECREASE} one, p̄ = (p₁+p₂)/2,
 * {@code n = (z_{1−α/2}·sqrt(2p̄(1−p̄)) + z_{power}·sqrt(p₁(1−p₁) + p₂(1−p₂)))² / (p₂ − p₁)²}
 * (Fleiss, Levin and Paik, without continuity correction).</li>
 * <li>Means (Welch's test, large-sample): δ = mde·|m₁|, σ² = control's sample variance,
 * {@code n = 2σ²(z_{1−α/2} + z_{power})² / δ²}.</li>
 * </ul>
 * Undefined (a reason instead of a number) when control has fewer than 2 units, a rate of 0 (no
 * conversion yet: 0 × (1 + mde) is no effect), a target rate outside (0, 1), a mean of 0 or no variance.
 */
public final class PowerAnalysis {
    /** The conventional power target. */
    public static final double DEFAULT_POWER = 0.8;

    private PowerAnalysis() {
    }

    /** Sample size for a conversion metric. */
    public static Requirement proportions(ProportionSample control, double mde, Direction direction, double alpha,
                                          double power) {
        if (control.units() < 2) {
            return Requirement.undefined("control has no data yet");
        }
        double p1 = control.rate();
        if (p1 == 0) {
            return Requirement.undefined("control has no conversions yet");
        }
        double p2 = direction == Direction.DECREASE ? p1 * (1 - mde) : p1 * (1 + mde);
        if (!(p2 > 0 && p2 < 1)) {
            return Requirement.undefined("the minimum detectable effect would move the rate outside (0, 1)");
        }
        double za = Distributions.normalUpperQuantile(alpha / 2);
        double zb = Distributions.normalQuantile(power);
        double pBar = (p1 + p2) / 2;
        double root = za * Math.sqrt(2 * pBar * (1 - pBar)) + zb * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
        double delta = p2 - p1;
        return Requirement.of(root * root / (delta * delta));
    }

    /** Sample size for a mean metric. */
    public static Requirement means(MeanSample control, double mde, double alpha, double power) {
        if (control.units() < 2) {
            return Requirement.undefined("control has no data yet");
        }
        double delta = mde * Math.abs(control.mean());
        if (delta == 0) {
            return Requirement.undefined("control's mean is 0: a relative effect of it is 0");
        }
        if (!(control.variance() > 0)) {
            return Requirement.undefined("control has no variance yet");
        }
        double z = Distributions.normalUpperQuantile(alpha / 2) + Distributions.normalQuantile(power);
        return Requirement.of(2 * control.variance() * z * z / (delta * delta));
    }

    /**
     * @param exactUnits             the formula's value before rounding up, or null when undefined
     * @param requiredUnitsPerVariant {@code ceil(exactUnits)}, or null when undefined
     * @param reason                 why it is undefined, or null
     */
    public record Requirement(Double exactUnits, Long requiredUnitsPerVariant, String reason) {
        static Requirement of(double exact) {
            if (!Double.isFinite(exact) || exact > Long.MAX_VALUE) {
                return undefined("the effect is too small to detect with any realistic sample");
            }
            return new Requirement(exact, Math.max(2L, (long) Math.ceil(exact)), null);
        }

        static Requirement undefined(String reason) {
            return new Requirement(null, null, reason);
        }
    }
}
