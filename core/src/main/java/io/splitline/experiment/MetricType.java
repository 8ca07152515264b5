package io.splitline.experiment;

import io.splitline.json.EnumCodec;

/**
 * How a metric is analysed: share of units with a positive total, mean of per-unit totals, the ratio of
 * two metrics' totals (Σ numerator / Σ denominator over units, e.g. revenue per session), or quantiles of its
 * event values (P50 … P99 latency, from a sketch; reported, never decisive).
 */
public enum MetricType {
    CONVERSION, MEAN, RATIO, QUANTILE;

    public String json() {
        return EnumCodec.name(this);
    }
}
