package io.splitline.experiment;

import java.math.BigDecimal;
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
 * @param cap                     a mean metric's cap on each unit's total: an absolute value, or a percentile of all
 *                                units' totals; else null
 */
public record Metric(String key, MetricType type, Direction direction, MetricRole role, Double minimumDetectableEffect,
                     String numerator, String denominator, MetricCap cap) {
    public Metric {
        boolean parts = numerator != null && denominator != null;
        if (type == MetricType.RATIO ? !parts : numerator != null || denominator != null) {
            throw new IllegalArgumentException("a ratio metric, and only a ratio metric, has a numerator and a denominator");
        }
        if (cap != null && type != MetricType.MEAN) {
            throw new IllegalArgumentException("only a mean metric has a cap");
        }
    }

    /** An uncapped metric. */
    public Metric(String key, MetricType type, Direction direction, MetricRole role, Double minimumDetectableEffect,
                  String numerator, String denominator) {
        this(key, type, direction, role, minimumDetectableEffect, numerator, denominator, null);
    }

    /** A conversion or mean metric. */
    public Metric(String key, MetricType type, Direction direction, MetricRole role, Double minimumDetectableEffect) {
        this(key, type, direction, role, minimumDetectableEffect, null, null);
    }

    /** The same metric with a cap (null: none). */
    public Metric withCap(MetricCap next) {
        return new Metric(key, type, direction, role, minimumDetectableEffect, numerator, denominator, next);
    }

    /** The absolute cap on each unit's total ({@code cap.value}), else null. */
    public BigDecimal capValue() {
        return cap == null ? null : cap.value();
    }

    /** The quantile of all units' totals each unit's total is capped at ({@code cap.percentile}), else null. */
    public Double capPercentile() {
        return cap == null ? null : cap.percentile();
    }

    /**
     * Whether the data behind the metric is the same: its type, a ratio's numerator and denominator, and whether
     * ingest keeps its sketch of unit totals (a percentile cap; the percentile itself may change).
     */
    public boolean sameDataAs(Metric other) {
        return type == other.type && Objects.equals(numerator, other.numerator) && Objects.equals(denominator, other.denominator)
                && (capPercentile() == null) == (other.capPercentile() == null); // the sketch of totals exists from the start or not at all
    }
}
