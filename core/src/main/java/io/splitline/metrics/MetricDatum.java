package io.splitline.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Values of one custom CloudWatch metric with one set of dimensions at one time.
 *
 * @param values at most {@link #MAX_VALUES} values (EMF's limit per metric per log line)
 */
public record MetricDatum(String namespace, Map<String, String> dimensions, String name, List<Double> values,
                          Instant timestamp) {
    public static final int MAX_VALUES = 100;
    /** The namespace of every metric Splitline itself emits. */
    public static final String SPLITLINE_NAMESPACE = "Splitline";

    public MetricDatum {
        dimensions = Map.copyOf(dimensions);
        values = List.copyOf(values);
        if (values.isEmpty() || values.size() > MAX_VALUES) {
            throw new IllegalArgumentException("1-" + MAX_VALUES + " values per datum, got " + values.size());
        }
    }
}
