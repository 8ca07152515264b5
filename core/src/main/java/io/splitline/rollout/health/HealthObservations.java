package io.splitline.rollout.health;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything a {@link HealthSource} saw for one rollout over one window, in the order the checks and
 * alarms are defined. It states facts only; deciding rollback / hold / advance is the caller's job.
 *
 * @param windowStart start of the window (the current stage's start)
 * @param windowEnd   end of the window (the step's "now"); only periods that ended by then count
 * @param checks      one observation per metric check, then one per ratio check
 * @param alarms      one observation per named alarm
 */
public record HealthObservations(Instant windowStart, Instant windowEnd, List<CheckObservation> checks,
                                 List<AlarmObservation> alarms) {

    public HealthObservations {
        checks = List.copyOf(checks);
        alarms = List.copyOf(alarms);
    }

    public Optional<CheckObservation> check(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public Optional<AlarmObservation> alarm(String name) {
        return alarms.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /** Checks whose worst complete period is on the unhealthy side of the threshold. */
    public List<CheckObservation> breachedChecks() {
        return checks.stream().filter(CheckObservation::breached).toList();
    }

    /** Checks with fewer complete periods of data than {@code minimumDataPoints}. */
    public List<CheckObservation> checksWithFewerDataPointsThan(int minimumDataPoints) {
        return checks.stream().filter(c -> c.dataPoints() < minimumDataPoints).toList();
    }

    /** Alarms in the given state (missing alarms count as INSUFFICIENT_DATA). */
    public List<AlarmObservation> alarmsIn(AlarmState state) {
        return alarms.stream().filter(a -> a.state() == state).toList();
    }
}
