package io.splitline.definitions;

import io.splitline.assignment.ExperimentAssigner;
import io.splitline.experiment.Experiment;
import io.splitline.rollout.Rollout;
import io.splitline.rollout.RolloutStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Every experiment (compiled for assignment) and every rollout, as of one load from the definitions
 * table. Keys are unique across the two kinds.
 *
 * @param experiments assigner by experiment key, all statuses (a stopped experiment still answers
 *                    {@code not_running})
 * @param rollouts    rollout by key, all statuses
 * @param loadedAt    when the definitions were read
 */
public record DefinitionSnapshot(Map<String, ExperimentAssigner> experiments, Map<String, Rollout> rollouts,
                                 Instant loadedAt) {
    public DefinitionSnapshot {
        experiments = Map.copyOf(experiments);
        rollouts = Map.copyOf(rollouts);
    }

    /** Whether the key names a running experiment or an active (in-progress or paused) rollout. */
    public boolean isActive(String key) {
        ExperimentAssigner a = experiments.get(key);
        if (a != null) {
            return a.experiment().isRunning();
        }
        Rollout r = rollouts.get(key);
        return r != null && isActive(r);
    }

    public static boolean isActive(Rollout rollout) {
        return rollout.status() == RolloutStatus.IN_PROGRESS || rollout.status() == RolloutStatus.PAUSED;
    }

    public Optional<ExperimentAssigner> experiment(String key) {
        return Optional.ofNullable(experiments.get(key));
    }

    public Optional<Rollout> rollout(String key) {
        return Optional.ofNullable(rollouts.get(key));
    }

    /** Running experiments, as their definitions. */
    public Map<String, Experiment> runningExperiments() {
        Map<String, Experiment> running = new java.util.TreeMap<>();
        experiments.forEach((k, a) -> {
            if (a.experiment().isRunning()) {
                running.put(k, a.experiment());
            }
        });
        return running;
    }
}
