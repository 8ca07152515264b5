package io.splitline.experiment;

import io.splitline.json.EnumCodec;

/**
 * How a metric is analysed: share of units with a positive total, mean of per-unit totals, or the ratio of
 * two metrics' totals (Σ numerator / Σ denominator over units, e.g. revenue per session).
 */
public enum MetricType {
    CONVERSION, MEAN, RATIO;

    public String json() {
        return EnumCodec.name(this);
    }
}
