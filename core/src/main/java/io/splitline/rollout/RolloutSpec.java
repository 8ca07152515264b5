package io.splitline.rollout;

import io.splitline.rollout.traffic.RolloutTarget;
import java.time.Instant;
import java.util.List;

/**
 * What a user defines about a rollout: everything but its lifecycle. Instances are only made by
 * {@link RolloutJson#parseSpec}, which enforces every rule of the API contract, so a spec in hand is
 * always valid: 1–20 stages with strictly increasing percents ending at 100.
 *
 * @param key         rollout key, also the hashing salt
 * @param description free text, possibly empty
 * @param stages      the percents to go through, in order
 * @param health      what makes a stage healthy
 * @param startAt     when the scheduled step starts the draft, or null (start by hand)
 * @param holdout     key of the holdout whose units stay in control, or null
 * @param target      the AWS traffic the rollout also shifts (a Lambda alias, SageMaker variants), or null
 */
public record RolloutSpec(String key, String description, List<Stage> stages, HealthSpec health, Instant startAt,
                          String holdout, RolloutTarget target) {

    public RolloutSpec {
        stages = List.copyOf(stages);
    }

    /** A rollout that shifts only what {@code /assign} answers. */
    public RolloutSpec(String key, String description, List<Stage> stages, HealthSpec health, Instant startAt) {
        this(key, description, stages, health, startAt, null, null);
    }

    public Stage stage(int index) {
        return stages.get(index);
    }

    public boolean isLastStage(int index) {
        return index == stages.size() - 1;
    }
}
