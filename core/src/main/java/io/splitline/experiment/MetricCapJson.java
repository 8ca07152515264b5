package io.splitline.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.error.InvalidFieldException;
import io.splitline.json.Fields;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Set;

/** The JSON of a metric's {@link MetricCap}: {@code {"value": <number>}} or {@code {"percentile": <p>}}. */
final class MetricCapJson {
    /** A cap's value is kept to this many decimal places, as an event's value is. */
    private static final int SCALE = 6;

    private MetricCapJson() {
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
            return MetricCap.atPercentile(percentile);
        }
        JsonNode raw = cap.raw("value");
        Fields.requireFinite(raw, cap.path("value"));
        BigDecimal value = raw.decimalValue().setScale(SCALE, RoundingMode.HALF_EVEN);
        if (value.signum() <= 0 || value.compareTo(MetricCap.MAX_VALUE) > 0) {
            throw new InvalidFieldException(cap.path("value"), cap.path("value")
                    + " must be above 0 and at most 1e9 (units without events count as 0, which a cap must not move)");
        }
        BigDecimal plain = value.stripTrailingZeros();
        return new MetricCap(plain.scale() < 0 ? plain.setScale(0) : plain); // 100, not 1E+2, in the stored JSON
    }

    /** Sets {@code cap} on a metric's JSON. */
    static void write(MetricCap cap, ObjectNode metric) {
        if (cap.value() != null) {
            metric.putObject("cap").put("value", cap.value());
        } else {
            metric.putObject("cap").put("percentile", cap.percentile());
        }
    }
}
