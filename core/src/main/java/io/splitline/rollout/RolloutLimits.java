package io.splitline.rollout;

import java.time.Duration;

/** The bounds and defaults of rollout definitions, the numbers {@link RolloutParser} enforces. */
public final class RolloutLimits {
    public static final int MAX_STAGES = 20;
    public static final int MAX_DESCRIPTION = 1024;
    public static final Duration MAX_BAKE = Duration.ofDays(30);
    public static final int MAX_METRIC_CHECKS = 20;
    public static final int MAX_RATIO_CHECKS = 20;
    /** DescribeAlarms accepts at most 100 names in one call. */
    public static final int MAX_ALARMS = 100;
    public static final int MAX_GUARDRAILS = 20;
    /** CloudWatch's limit of dimensions per metric. */
    public static final int MAX_DIMENSIONS = 30;
    /** CloudWatch's limit for namespaces, metric names, dimension names and alarm names. */
    public static final int MAX_NAME = 255;
    /** CloudWatch's limit for dimension values. */
    public static final int MAX_DIMENSION_VALUE = 1024;
    public static final int DEFAULT_PERIOD_SECONDS = 60;
    /** One day: longer periods would not fit the window of a stage a step judges. */
    public static final int MAX_PERIOD_SECONDS = 86_400;
    public static final int MAX_MINIMUM_DATA_POINTS = 10_000;
    public static final int MAX_MINIMUM_UNITS_PER_ARM = 1_000_000_000;

    private RolloutLimits() {
    }
}
