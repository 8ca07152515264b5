package io.splitline.holdout;

import io.splitline.assignment.Assignment;
import io.splitline.assignment.AssignmentReason;
import io.splitline.ingest.DerivedSums;
import io.splitline.ingest.ExposureRecorder;
import io.splitline.ingest.IngestTarget;
import io.splitline.ingest.UnitRef;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Applies a running holdout to the answer of a definition that respects it. The holdout acts last: only
 * a unit the definition puts in by hash ({@code hashed}: targeted, in the namespace, covered; for a rollout,
 * every unit while it is active) is held out, so that the held-out units and the others come from the same
 * population, and overrides (QA) win over it. A held-out unit gets the control with
 * {@code inExperiment: false} and reason {@code holdout}, and nothing is recorded for the definition.
 *
 * <p>Either way the unit's exposure to the holdout's own comparison is recorded, in the arm its hash gives
 * ({@link HoldoutSpec#arm}): these exposures are what the holdout's results count.
 */
public final class HoldoutGate {
    private HoldoutGate() {
    }

    /**
     * The answer for the unit, held out or as given; adds the holdout's exposure to {@code exposures}
     * (once per holdout and unit).
     */
    public static Assignment apply(Optional<Holdout> holdout, String unitId, Assignment answer, String control,
                                   List<ExposureRecorder.Exposure> exposures) {
        if (holdout.isEmpty() || answer.reason() != AssignmentReason.HASHED) {
            return answer;
        }
        HoldoutSpec spec = holdout.get().spec();
        UnitRef ref = new UnitRef(spec.key(), IngestTarget.EXPERIMENT_SCOPE, unitId);
        if (exposures.stream().noneMatch(e -> e.unit().equals(ref))) {
            exposures.add(new ExposureRecorder.Exposure(ref, spec.arm(unitId)));
        }
        return spec.holds(unitId) ? new Assignment(control, false, AssignmentReason.HOLDOUT, null) : answer;
    }

    /** The arm an exposure event of the definition counts for: none for a held-out unit. */
    public static Optional<String> exposedArm(Optional<Holdout> holdout, String unitId, Optional<String> arm) {
        return holdout.isPresent() && holdout.get().spec().holds(unitId) ? Optional.empty() : arm;
    }

    /**
     * The holdout's own ingest target: events with its key count while it is running, in the hashed arm, with
     * the capped and ratio sums of its metrics and the sketches of its quantile and percentile-capped metrics.
     */
    public static IngestTarget ingestTarget(Holdout holdout, DerivedSums derivedSums, Set<String> valueSketches,
                                            Set<String> totalSketches) {
        HoldoutSpec spec = holdout.spec();
        return new IngestTarget(spec.key(), IngestTarget.EXPERIMENT_SCOPE, holdout.isRunning(),
                unit -> Optional.of(spec.arm(unit)), Set.of(), derivedSums, valueSketches, totalSketches);
    }
}
