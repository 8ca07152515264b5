package io.splitline.holdout;

import io.splitline.experiment.ExperimentStatus;
import java.time.Instant;

/**
 * A stored holdout: its definition plus the experiments' lifecycle (draft → running ↔ paused →
 * completed, archived from any other state). It holds units out only while {@code running}.
 *
 * @param spec        the user's definition
 * @param status      lifecycle state
 * @param version     1 on creation, +1 on every change; updates must name the version they read
 * @param createdAt   when it was created
 * @param updatedAt   when it last changed
 * @param startedAt   when it first started running, or null
 * @param completedAt when it was completed, or null
 */
public record Holdout(HoldoutSpec spec, ExperimentStatus status, long version, Instant createdAt, Instant updatedAt,
                      Instant startedAt, Instant completedAt) {

    public String key() {
        return spec.key();
    }

    public boolean isRunning() {
        return status == ExperimentStatus.RUNNING;
    }
}
