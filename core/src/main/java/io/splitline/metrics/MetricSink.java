package io.splitline.metrics;

/**
 * Where custom metrics go. In Lambda: Embedded Metric Format lines on standard output, which CloudWatch
 * turns into metrics without an API call; in the local stack, also an in-memory store that answers the
 * rollout step's health queries.
 */
@FunctionalInterface
public interface MetricSink {
    void emit(MetricDatum datum);
}
