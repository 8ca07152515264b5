package io.splitline.rollout.health;

import io.splitline.rollout.HealthSpec;
import java.time.Instant;

/**
 * Where the rollout step reads the absolute health of a stage: the metric checks, ratio checks and named
 * alarms of a {@link HealthSpec}. CloudWatch in AWS ({@link CloudWatchHealthSource}); the local stack
 * implements it over the metrics it collects. Free of CloudWatch types so that both can stand behind it.
 * Statistical guardrails are not read here: they come from the project's own aggregates.
 */
public interface HealthSource {

    /**
     * Observes every metric/ratio check over {@code [windowStart, now]} (only periods that have ended
     * by {@code now} count, each combined as {@link CheckEvaluator} documents) and the current state of
     * every named alarm.
     *
     * @throws HealthReadException when the source cannot be read; the caller should hold
     * @throws IllegalArgumentException when {@code windowStart} is after {@code now}
     */
    HealthObservations observe(HealthSpec spec, Instant windowStart, Instant now);
}
