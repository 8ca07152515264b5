package io.splitline.rollout;

import java.util.Locale;
import java.util.Optional;

/**
 * Lifecycle states of a rollout. Only {@link #IN_PROGRESS} rollouts are advanced by the scheduled step;
 * {@link #COMPLETED}, {@link #ROLLED_BACK} and {@link #ABORTED} are final.
 */
public enum RolloutStatus {
    DRAFT, IN_PROGRESS, PAUSED, COMPLETED, ROLLED_BACK, ABORTED;

    /** The API name ({@code in_progress}). */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RolloutStatus> fromJson(String name) {
        for (RolloutStatus s : values()) {
            if (s.json().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** True once nothing can move the rollout any more. */
    public boolean isFinal() {
        return this == COMPLETED || this == ROLLED_BACK || this == ABORTED;
    }
}
