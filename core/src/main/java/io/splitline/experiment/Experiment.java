package io.splitline.experiment;

import java.time.Instant;

/**
 * A stored experiment: its definition plus lifecycle state.
 *
 * @param spec        the user's definition
 * @param status      lifecycle state
 * @param version     1 on creation, +1 on every change; updates must name the version they read
 * @param createdAt   when it was created
 * @param updatedAt   when it last changed
 * @param startedAt   when it first started running, or null
 * @param completedAt when it was completed, or null
 */
public record Experiment(ExperimentSpec spec, ExperimentStatus status, long version, Instant createdAt,
                         Instant updatedAt, Instant startedAt, Instant completedAt) {

    public String key() {
        return spec.key();
    }

    public boolean isRunning() {
        return status == ExperimentStatus.RUNNING;
    }
}
