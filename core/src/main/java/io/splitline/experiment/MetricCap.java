package io.splitline.experiment;

import java.math.BigDecimal;

/**
 * A mean metric's cap (winsorization), in one of two forms ({@link MetricCapJson} reads and writes them). The absolute one, {@code {"value": N}}: each
 * unit's total counts as {@code min(total, value)} in the metric's statistics, so that a few extreme units (a bulk buyer, a bot) cannot swamp the mean and its
 * variance. Only the upper tail is capped, whatever the metric's direction: totals below the cap, negative
 * ones included, count as they are. The value is above 0, so a unit without events (total 0) is never
 * capped and still counts as 0 without ingest knowing of it.
 *
 * <p>Ingest keeps the capped sums incrementally beside the raw ones, which is why the cap is fixed once
 * the experiment runs ({@link ChangePolicy}).
 *
 * <p>The percentile one, {@code {"percentile": p}}: the cap is the p-quantile of all units' current totals,
 * read at results time from a sketch of the unit totals that ingest keeps (see
 * {@code io.splitline.results.PercentileCaps}); the percentile may change while running, the sketch stays.
 *
 * @param value      the absolute cap on a unit's total, above 0 and at most 10⁹, kept to 6 decimal places; or null
 * @param percentile the quantile of the unit totals to cap at, in (0, 1); or null (exactly one of the two is set)
 */
public record MetricCap(BigDecimal value, Double percentile) {
    /** The largest cap, as for an event's value (it keeps Σ min(x, cap)² within DynamoDB's 38 digits). */
    public static final BigDecimal MAX_VALUE = new BigDecimal("1000000000");

    public MetricCap {
        if ((value == null) == (percentile == null)) {
            throw new IllegalArgumentException("a cap has a value or a percentile, not both");
        }
        if (value != null && (value.signum() <= 0 || value.compareTo(MAX_VALUE) > 0)) {
            throw new IllegalArgumentException("a cap is above 0 and at most 1e9, got " + value);
        }
        if (percentile != null && !(percentile > 0 && percentile < 1)) {
            throw new IllegalArgumentException("a cap's percentile is in (0, 1), got " + percentile);
        }
    }

    /** An absolute cap. */
    public MetricCap(BigDecimal value) {
        this(value, null);
    }

    /** A cap at a percentile of the unit totals. */
    public static MetricCap atPercentile(double percentile) {
        return new MetricCap(null, percentile);
    }
}
