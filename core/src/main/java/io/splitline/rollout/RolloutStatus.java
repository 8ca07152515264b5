package io.splitline.rollout;

import io.splitline.json.EnumCodec;
import java.util.Optional;

/**
 * Lifecycle states of a rollout. Only {@link #IN_PROGRESS} rollouts are advanced by the scheduled step;
 * {@link #COMPLETED}, {@link #ROLLED_BACK} and {@link #ABORTED} are final.
 */
public enum RolloutStatus {
    DRAFT, IN_PROGRESS, PAUSED, COMPLETED, ROLLED_BACK, ABORTED;

    /** The API name ({@code in_progress}). */
    public String json() {
        return EnumCodec.name(this);
    }

    public static Optional<RolloutStatus> fromJson(String name) {
        return EnumCodec.parse(RolloutStatus.class, name);
    }

    /** True once nothing can move the rollout any more. */
    public boolean isFinal() {
        return this == COMPLETED || this == ROLLED_BACK || this == ABORTED;
    }
}
