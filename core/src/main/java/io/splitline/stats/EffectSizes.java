package io.splitline.stats;

/**
 * Standardised effect sizes, comparable across metrics, treatment minus control (positive when
 * treatment is higher).
 * <ul>
 * <li><b>Cohen's h</b> for proportions: {@code h = 2·asin(√p_T) − 2·asin(√p_C)}.</li>
 * <li><b>Cohen's d</b> for means: {@code d = (m_T − m_C) / s_p},
 * {@code s_p = sqrt(((n_T−1)s_T² + (n_C−1)s_C²) / (n_T + n_C − 2))}.</li>
 * </ul>
 * Conventional reading (Cohen 1988): 0.2 small, 0.5 medium, 0.8 large; online experiments usually move
 * metrics by far less than "small". Null when undefined (no units, or d with zero pooled variance and a
 * non-zero difference).
 */
public final class EffectSizes {
    private EffectSizes() {
    }

    /** Cohen's h, or null when an arm has no units. */
    public static Double cohensH(ProportionSample control, ProportionSample treatment) {
        if (control.units() == 0 || treatment.units() == 0) {
            return null;
        }
        return 2 * Math.asin(Math.sqrt(treatment.rate())) - 2 * Math.asin(Math.sqrt(control.rate()));
    }

    /** Cohen's d, or null when it is undefined. */
    public static Double cohensD(MeanSample control, MeanSample treatment) {
        if (control.units() == 0 || treatment.units() == 0 || control.units() + treatment.units() < 3) {
            return null;
        }
        double pooled = ((control.units() - 1) * control.variance() + (treatment.units() - 1) * treatment.variance())
                / (control.units() + treatment.units() - 2);
        double diff = treatment.mean() - control.mean();
        if (!(pooled > 0)) {
            return diff == 0 ? 0.0 : null;
        }
        return diff / Math.sqrt(pooled);
    }
}
