package io.splitline.rollout;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One CloudWatch metric and how to aggregate it per period: the operand of a {@link RatioCheck}, and
 * the metric part of a {@link MetricCheck}.
 *
 * @param namespace  CloudWatch namespace, e.g. {@code AWS/Lambda} or {@code Splitline}
 * @param metricName metric name, e.g. {@code Errors}
 * @param dimensions dimension name → value; the metric must carry exactly these dimensions (CloudWatch
 *                   treats each dimension combination as its own metric)
 * @param statistic  how the data points of one period are aggregated
 */
public record MetricQuery(String namespace, String metricName, Map<String, String> dimensions, Statistic statistic) {

    public MetricQuery {
        // Insertion order kept so the API echoes dimensions as they were sent.
        dimensions = Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
    }
}
