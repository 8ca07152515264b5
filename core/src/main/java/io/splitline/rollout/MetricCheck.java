package io.splitline.rollout;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A threshold on one CloudWatch metric, evaluated per period over the current stage's window: the check
 * is breached when any complete period's value satisfies {@code comparison} against {@code threshold}.
 *
 * @param name          unique name of the check within the rollout (a key), used in observations
 * @param namespace     CloudWatch namespace
 * @param metricName    metric name
 * @param dimensions    dimension name → value
 * @param statistic     per-period aggregation (Sum, Average, …, p99)
 * @param periodSeconds period length: 1, 5, 10, 30 (high resolution) or a multiple of 60, at most 86400
 * @param comparison    which side of the threshold is unhealthy
 * @param threshold     the limit, in the metric's unit
 */
public record MetricCheck(String name, String namespace, String metricName, Map<String, String> dimensions,
                          Statistic statistic, int periodSeconds, Comparison comparison, double threshold) {

    public MetricCheck {
        dimensions = Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
    }

    /** The metric part of the check. */
    public MetricQuery query() {
        return new MetricQuery(namespace, metricName, dimensions, statistic);
    }
}
