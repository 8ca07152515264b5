package io.splitline.definitions;

import io.splitline.assignment.ExperimentAssigner;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Every experiment, compiled for assignment, as of one load from the definitions table.
 *
 * @param experiments assigner by experiment key, all statuses (a stopped experiment still answers
 *                    {@code not_running})
 * @param loadedAt    when the definitions were read
 */
public record DefinitionSnapshot(Map<String, ExperimentAssigner> experiments, Instant loadedAt) {
    public DefinitionSnapshot {
        experiments = Map.copyOf(experiments);
    }

    /** Whether the key names a running experiment (or, later, an active rollout). */
    public boolean isRunning(String key) {
        ExperimentAssigner a = experiments.get(key);
        return a != null && a.experiment().isRunning();
    }

    public Optional<ExperimentAssigner> experiment(String key) {
        return Optional.ofNullable(experiments.get(key));
    }
}
