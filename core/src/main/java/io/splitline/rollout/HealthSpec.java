package io.splitline.rollout;

import java.util.List;

/**
 * Everything that decides whether a rollout stage is healthy: absolute CloudWatch gates (metric checks,
 * ratio checks, named alarms) and the statistical guardrails that compare treatment with control.
 * Instances come from {@link RolloutJson#parseSpec}, which enforces every rule, so a spec in hand is
 * valid; {@link #NONE} is the health of a rollout that defines none (it advances on bake time alone).
 *
 * @param metrics            thresholds on single metrics
 * @param ratios             thresholds on ratios of two metrics
 * @param alarms             names of CloudWatch alarms (metric or composite) that must not be in ALARM
 * @param minimumDataPoints  complete periods each metric/ratio check needs before the stage can advance
 * @param guardrails         metrics compared between treatment and control with a sequential test
 * @param alpha              one-sided significance level of the guardrail test, in (0, 0.5]
 * @param minimumUnitsPerArm exposed units each arm needs in the current stage before guardrails apply
 */
public record HealthSpec(List<MetricCheck> metrics, List<RatioCheck> ratios, List<String> alarms,
                         int minimumDataPoints, List<Guardrail> guardrails, double alpha, int minimumUnitsPerArm) {
    public static final int DEFAULT_MINIMUM_DATA_POINTS = 1;
    public static final double DEFAULT_ALPHA = 0.05;
    public static final int DEFAULT_MINIMUM_UNITS_PER_ARM = 200;

    /** No checks, default settings. */
    public static final HealthSpec NONE = new HealthSpec(List.of(), List.of(), List.of(),
            DEFAULT_MINIMUM_DATA_POINTS, List.of(), DEFAULT_ALPHA, DEFAULT_MINIMUM_UNITS_PER_ARM);

    public HealthSpec {
        metrics = List.copyOf(metrics);
        ratios = List.copyOf(ratios);
        alarms = List.copyOf(alarms);
        guardrails = List.copyOf(guardrails);
    }

    /** True when there is at least one metric or ratio check to read from CloudWatch. */
    public boolean hasMetricChecks() {
        return !metrics.isEmpty() || !ratios.isEmpty();
    }
}
