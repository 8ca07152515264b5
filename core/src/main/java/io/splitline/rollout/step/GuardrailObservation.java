package io.splitline.rollout.step;

import io.splitline.rollout.Guardrail;

/**
 * What the statistical gate saw for one guardrail in the current stage: each arm's exposed units and
 * value (conversion rate, or mean of per-unit totals), and, once both arms have the minimum units, the
 * one-sided always-valid test of "treatment is worse". Before that the test is not applied and says
 * nothing ({@code statistic} and {@code pValue} null, {@code worse} false).
 *
 * @param guardrail      the guardrail
 * @param controlUnits   units exposed in control during the stage
 * @param treatmentUnits units exposed in treatment during the stage
 * @param controlValue   control's rate (conversion) or mean
 * @param treatmentValue treatment's rate or mean
 * @param applied        whether both arms reached the minimum units, so the test was run
 * @param statistic      z of the difference, positive when treatment is worse; null when not applied
 * @param pValue         one-sided always-valid p-value; null when not applied
 * @param alpha          the rollout's significance level
 * @param worse          {@code pValue <= alpha}: a significant regression
 */
public record GuardrailObservation(Guardrail guardrail, long controlUnits, long treatmentUnits, double controlValue,
                                   double treatmentValue, boolean applied, Double statistic, Double pValue,
                                   double alpha, boolean worse) {
    public GuardrailObservation {
        if (!applied && (statistic != null || pValue != null || worse)) {
            throw new IllegalArgumentException("a guardrail that was not applied has no test result");
        }
    }
}
