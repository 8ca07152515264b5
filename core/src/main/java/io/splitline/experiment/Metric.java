package io.splitline.experiment;

import java.util.Objects;

/**
 * A metric an experiment is judged on.
 *
 * @param key                     metric key, as sent in events (a ratio's key only names it)
 * @param type                    conversion, mean or ratio
 * @param direction               which way is better
 * @param role                    primary, secondary or guardrail
 * @param minimumDetectableEffect smallest relative lift worth detecting (0.05 = 5 % of the control's
 *                                value), used for the power calculation; null when not set
 * @param numerator               a ratio's numerator metric key (as sent in events), else null
 * @param denominator             a ratio's denominator metric key, else null
 * @param capPercentile           a mean metric's {@code cap.percentile}: unit totals are capped at this quantile of
 *                                all units' totals, in (0, 1); else null
 */
public record Metric(String key, MetricType type, Direction direction, MetricRole role, Double minimumDetectableEffect,
                     String numerator, String denominator, Double capPercentile) {
    public Metric {
        boolean parts = numerator != null && denominator != null;
        if (type == MetricType.RATIO ? !parts : numerator != null || denominator != null) {
            throw new IllegalArgumentException("a ratio metric, and only a ratio metric, has a numerator and a denominator");
        }
        if (capPercentile != null && (type != MetricType.MEAN || !(capPercentile > 0 && capPercentile < 1))) {
            throw new IllegalArgumentException("only a mean metric is capped at a percentile, in (0, 1)");
        }
    }

    /** A metric without a percentile cap. */
    public Metric(String key, MetricType type, Direction direction, MetricRole role, Double minimumDetectableEffect,
                  String numerator, String denominator) {
        this(key, type, direction, role, minimumDetectableEffect, numerator, denominator, null);
    }

    /** A conversion or mean metric. */
    public Metric(String key, MetricType type, Direction direction, MetricRole role, Double minimumDetectableEffect) {
        this(key, type, direction, role, minimumDetectableEffect, null, null);
    }

    /**
     * Whether the data behind the metric is the same: its type, a ratio's numerator and denominator, and whether
     * ingest keeps its sketch of unit totals (a percentile cap; the percentile itself may change).
     */
    public boolean sameDataAs(Metric other) {
        return type == other.type && Objects.equals(numerator, other.numerator) && Objects.equals(denominator, other.denominator)
                && (capPercentile == null) == (other.capPercentile == null); // the sketch of totals exists from the start or not at all
    }
}
