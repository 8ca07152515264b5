package io.splitline.experiment;

/** How a metric is analysed: share of units with a positive total, or mean of per-unit totals. */
public enum MetricType {
    CONVERSION, MEAN;

    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
