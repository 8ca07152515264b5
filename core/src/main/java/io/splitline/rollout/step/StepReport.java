package io.splitline.rollout.step;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one run of the scheduled step did, rollout by rollout.
 *
 * @param startedAt when the run started
 * @param outcomes  one per rollout that was listed as in progress, in key order
 */
public record StepReport(Instant startedAt, List<StepOutcome> outcomes) {
    public StepReport {
        outcomes = List.copyOf(outcomes);
    }

    public List<StepOutcome> failures() {
        return outcomes.stream().filter(o -> o.result() == StepOutcome.Result.FAILED).toList();
    }

    public Optional<StepOutcome> outcome(String key) {
        return outcomes.stream().filter(o -> o.key().equals(key)).findFirst();
    }
}
