package io.splitline.rollout;

/**
 * A threshold on the ratio of two CloudWatch metrics per period (errors / invocations). The ratio of a
 * period exists when the denominator has a positive value in it; it is breached when any complete
 * period's ratio satisfies {@code comparison} against {@code threshold}.
 *
 * @param name          unique name of the check within the rollout (a key)
 * @param numerator     the metric on top
 * @param denominator   the metric below; periods where it is missing or 0 have no ratio
 * @param periodSeconds period length, as for {@link MetricCheck}
 * @param comparison    which side of the threshold is unhealthy
 * @param threshold     the limit, a plain ratio (0.05 = 5 %)
 */
public record RatioCheck(String name, MetricQuery numerator, MetricQuery denominator, int periodSeconds,
                         Comparison comparison, double threshold) {
}
