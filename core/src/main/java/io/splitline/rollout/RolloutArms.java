package io.splitline.rollout;

import io.splitline.assignment.Bucketing;
import io.splitline.ingest.IngestTarget;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which arm a unit is in, and what ingest needs to record a rollout's events. A unit is in
 * {@link Rollout#TREATMENT} iff {@code hashV2(key, unitId) < percent / 100} ({@link Bucketing#inRollout}),
 * so raising the percent only moves units from control to treatment, and 0 % (draft, rolled back,
 * aborted) puts everyone in control.
 */
public final class RolloutArms {
    private RolloutArms() {
    }

    /** The unit's arm at the rollout's current percent. */
    public static String arm(Rollout rollout, String unitId) {
        return Bucketing.inRollout(rollout.key(), unitId, rollout.percent()) ? Rollout.TREATMENT : Rollout.CONTROL;
    }

    /**
     * The ingest target of a rollout: events count while it is in progress or paused, into the scope of
     * its current stage ({@link IngestTarget#stageScope}), with the arm the unit has at the current
     * percent; its guardrail metrics are also emitted to CloudWatch.
     */
    public static IngestTarget ingestTarget(Rollout rollout) {
        boolean active = rollout.status() == RolloutStatus.IN_PROGRESS || rollout.status() == RolloutStatus.PAUSED;
        Set<String> guardrails = rollout.spec().health().guardrails().stream().map(Guardrail::metric)
                .collect(Collectors.toSet());
        return new IngestTarget(rollout.key(), IngestTarget.stageScope(rollout.stageIndex()), active,
                unit -> Optional.of(arm(rollout, unit)), guardrails);
    }
}
