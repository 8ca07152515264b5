package io.splitline.rollout.traffic;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the step read from a target before deciding: how its traffic is split now, and whether the
 * treatment is ready to take more. Free of AWS types, so every rule about it is tested directly.
 *
 * @param shares     share of traffic (0–1, summing to 1) by version or variant name, as the target routes it
 *                   now; a name absent from the map gets nothing
 * @param status     the target's own state word ({@code InService}, {@code Updating} for an endpoint;
 *                   the alias's primary version for an alias), for the history
 * @param updatable  whether the target accepts a weight change now (an endpoint only when {@code InService})
 * @param revision   the optimistic-concurrency token an update must carry (the alias's {@code RevisionId}),
 *                   or null when the target has none
 * @param instances  instance count by variant name, sent back unchanged with every weight change (empty
 *                   for an alias)
 * @param notReady   why the treatment may not take more traffic yet (a version not {@code Active}, SnapStart
 *                   optimisation not {@code On}); empty when it may
 * @param metricsLag how long CloudWatch may take to hold a complete minute of the target's metrics: the
 *                   metrics window of the step ends this long before now
 */
public record TrafficReading(Map<String, Double> shares, String status, boolean updatable, String revision,
                             Map<String, Integer> instances, List<String> notReady, Duration metricsLag) {
    /** CloudWatch publishes Lambda and SageMaker metrics within about two minutes. */
    public static final Duration MINIMUM_LAG = Duration.ofMinutes(2);

    public TrafficReading {
        shares = Map.copyOf(shares);
        instances = Map.copyOf(instances);
        notReady = List.copyOf(notReady);
        if (metricsLag.compareTo(MINIMUM_LAG) < 0) {
            throw new IllegalArgumentException("the metrics lag is at least " + MINIMUM_LAG + ", got " + metricsLag);
        }
    }

    /** The share of {@code name}, 0 when it gets no traffic. */
    public double share(String name) {
        return shares.getOrDefault(name, 0.0);
    }
}
