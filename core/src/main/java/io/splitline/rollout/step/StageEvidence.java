package io.splitline.rollout.step;

import io.splitline.rollout.health.HealthObservations;
import java.util.List;

/**
 * Everything the scheduled step gathered about the current stage of one rollout before deciding.
 *
 * @param health      CloudWatch observations, or null when the rollout has no CloudWatch checks or when
 *                    they could not be read
 * @param healthError why CloudWatch could not be read, or null
 * @param guardrails  one observation per guardrail of the rollout, in definition order
 */
public record StageEvidence(HealthObservations health, String healthError, List<GuardrailObservation> guardrails) {
    public StageEvidence {
        guardrails = List.copyOf(guardrails);
        if (health != null && healthError != null) {
            throw new IllegalArgumentException("health was either read or not");
        }
    }
}
