package io.splitline.aggregate;

import java.util.Map;

/**
 * Everything stored about one variant of an experiment (or rollout stage): its exposed units and the
 * totals of every metric seen for it.
 */
public record VariantTotals(String variant, long units, Map<String, MetricTotals> metrics) {
    public VariantTotals {
        metrics = Map.copyOf(metrics);
    }

    /** The metric's totals; all zero when no unit of this variant has an event for it yet. */
    public MetricTotals metric(String metric) {
        return metrics.getOrDefault(metric, MetricTotals.ZERO);
    }
}
