package io.splitline.rollout;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored rollout: its definition plus where it stands. Instances are immutable; every move makes the
 * next version with {@link #next}, so the version a writer read is always at hand for its conditional
 * write.
 *
 * @param spec           the user's definition
 * @param status         lifecycle state
 * @param stageIndex     index of the current stage in {@code spec.stages()} (0 in draft; kept after a
 *                       rollback or abort to say where it stopped)
 * @param percent        share of units in treatment now: 0 in draft and after rollback or abort, 100 when
 *                       completed, else the current stage's percent
 * @param stageStartedAt when the current stage began (its bake and health window start there); null in draft
 * @param version        1 on creation, +1 on every change (holds included)
 * @param lastDecision   the latest history entry's decision, with its figures
 * @param createdAt      when it was created
 * @param updatedAt      when it last changed
 */
public record Rollout(RolloutSpec spec, RolloutStatus status, int stageIndex, int percent, Instant stageStartedAt,
                      long version, RolloutDecision lastDecision, Instant createdAt, Instant updatedAt) {
    /** The arm of units whose hash is under the percent. */
    public static final String TREATMENT = "treatment";
    /** The arm of every other unit. */
    public static final String CONTROL = "control";

    public Rollout {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(lastDecision, "lastDecision");
        if (stageIndex < 0 || stageIndex >= spec.stages().size()) {
            throw new IllegalArgumentException("stage index " + stageIndex + " outside " + spec.stages().size() + " stages");
        }
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be in [0, 100], got " + percent);
        }
        if (version < 1) {
            throw new IllegalArgumentException("versions start at 1, got " + version);
        }
    }

    /** A new rollout in {@code draft}: version 1, nobody in treatment. */
    public static Rollout draft(RolloutSpec spec, Instant now, String actor) {
        return new Rollout(spec, RolloutStatus.DRAFT, 0, 0, null, 1,
                RolloutDecision.manual(now, actor, "create", 0, 0), now, now);
    }

    public String key() {
        return spec.key();
    }

    public Stage stage() {
        return spec.stage(stageIndex);
    }

    public boolean isLastStage() {
        return spec.isLastStage(stageIndex);
    }

    /**
     * The next version after {@code decision}: the given state, {@code version + 1}, {@code updatedAt} the
     * decision's time.
     */
    public Rollout next(RolloutStatus status, int stageIndex, int percent, Instant stageStartedAt,
                        RolloutDecision decision) {
        return new Rollout(spec, status, stageIndex, percent, stageStartedAt, version + 1, decision, createdAt,
                decision.at());
    }
}
