package io.splitline.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.error.InvalidFieldException;
import io.splitline.json.Fields;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Set;

/**
 * A mean metric's cap (winsorization), in one of two forms. The absolute one, {@code {"value": N}}: each
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
    private static final int SCALE = 6;

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

    /** The {@code cap} object of a metric definition: {@code {"value": <number>}} or {@code {"percentile": <p>}}. */
    static MetricCap parse(Fields f) {
        Fields cap = f.allowOnly(Set.of("value", "percentile"));
        if (cap.has("value") == cap.has("percentile")) {
            throw new InvalidFieldException(cap.path(), cap.path() + " needs exactly one of value (the cap on a unit's total, "
                    + "e.g. {\"value\": 100}) and percentile (a quantile of all units' totals, e.g. {\"percentile\": 0.99})");
        }
        if (cap.has("percentile")) {
            double percentile = cap.number("percentile");
            if (!(percentile > 0 && percentile < 1)) {
                throw new InvalidFieldException(cap.path("percentile"),
                        "cap.percentile is a quantile of the unit totals: between 0 and 1, e.g. 0.99");
            }
            return atPercentile(percentile);
        }
        JsonNode raw = cap.raw("value");
        Fields.requireFinite(raw, cap.path("value"));
        BigDecimal value = raw.decimalValue().setScale(SCALE, RoundingMode.HALF_EVEN);
        if (value.signum() <= 0 || value.compareTo(MAX_VALUE) > 0) {
            throw new InvalidFieldException(cap.path("value"), cap.path("value")
                    + " must be above 0 and at most 1e9 (units without events count as 0, which a cap must not move)");
        }
        BigDecimal plain = value.stripTrailingZeros();
        return new MetricCap(plain.scale() < 0 ? plain.setScale(0) : plain); // 100, not 1E+2, in the stored JSON
    }

    void write(ObjectNode metric) {
        if (value != null) {
            metric.putObject("cap").put("value", value);
        } else {
            metric.putObject("cap").put("percentile", percentile);
        }
    }
}
