package io.splitline.definitions;

import io.splitline.assignment.ExperimentAssigner;
import io.splitline.experiment.Experiment;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.holdout.Holdout;
import io.splitline.rollout.Rollout;
import io.splitline.rollout.RolloutStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every experiment (compiled for assignment) and every rollout, as of one load from the definitions
 * table. Keys are unique across the two kinds.
 *
 * @param experiments assigner by experiment key, all statuses (a stopped experiment still answers
 *                    {@code not_running})
 * @param rollouts    rollout by key, all statuses
 * @param holdouts    holdout by key, all statuses
 * @param loadedAt    when the definitions were read
 */
public record DefinitionSnapshot(Map<String, ExperimentAssigner> experiments, Map<String, Rollout> rollouts,
                                 Map<String, Holdout> holdouts, Instant loadedAt) {
    public DefinitionSnapshot {
        experiments = Map.copyOf(experiments);
        rollouts = Map.copyOf(rollouts);
        holdouts = Map.copyOf(holdouts);
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

    /**
     * Whether an answer about {@code key} from this snapshot may be one a change has already made wrong
     * in a way that loses data: the key is unknown here (it may have been created a moment ago), or its
     * definition is in a state that a start or resume ends (an experiment {@code draft} or
     * {@code paused}, a rollout {@code draft}). Running, finished and archived definitions need not be.
     */
    public boolean mayHaveStarted(String key) {
        ExperimentAssigner a = experiments.get(key);
        if (a != null) {
            ExperimentStatus status = a.experiment().status();
            return status == ExperimentStatus.DRAFT || status == ExperimentStatus.PAUSED;
        }
        Holdout h = holdouts.get(key);
        if (h != null) {
            return h.status() == ExperimentStatus.DRAFT || h.status() == ExperimentStatus.PAUSED;
        }
        Rollout r = rollouts.get(key);
        return r == null || r.status() == RolloutStatus.DRAFT;
    }

    /** This snapshot with one experiment replaced or added (as read since), loaded at the same time. */
    DefinitionSnapshot withExperiment(String key, ExperimentAssigner assigner) {
        Map<String, ExperimentAssigner> next = new HashMap<>(experiments);
        next.put(key, assigner);
        return new DefinitionSnapshot(next, rollouts, holdouts, loadedAt);
    }

    /** This snapshot with one rollout replaced or added (as read since), loaded at the same time. */
    DefinitionSnapshot withRollout(String key, Rollout rollout) {
        Map<String, Rollout> next = new HashMap<>(rollouts);
        next.put(key, rollout);
        return new DefinitionSnapshot(experiments, next, holdouts, loadedAt);
    }

    /** This snapshot with one holdout replaced or added (as read since), loaded at the same time. */
    DefinitionSnapshot withHoldout(String key, Holdout holdout) {
        Map<String, Holdout> next = new HashMap<>(holdouts);
        next.put(key, holdout);
        return new DefinitionSnapshot(experiments, rollouts, next, loadedAt);
    }

    /** The holdout a definition names, when it is running (only then does it hold units out). */
    public Optional<Holdout> runningHoldout(String key) {
        Holdout h = key == null ? null : holdouts.get(key);
        return h != null && h.isRunning() ? Optional.of(h) : Optional.empty();
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
