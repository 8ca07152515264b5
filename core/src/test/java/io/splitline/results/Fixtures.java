package io.splitline.results;

import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.json.Json;
import io.splitline.stats.MetricAggregate;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** Experiment definitions and aggregates for results tests, built through the real parser. */
final class Fixtures {
    private Fixtures() {
    }

    /** A definition from the JSON of {@code POST /experiments} (single quotes allowed for readability). */
    static ExperimentSpec spec(String json) {
        return ExperimentJson.parseSpec(Json.parse(json.replace('\'', '"')));
    }

    /** Control/green 50/50 with purchase (primary conversion, MDE), revenue (mean) and error (guardrail). */
    static ExperimentSpec checkout(double mde, int minimumSampleSize) {
        return spec("{'key': 'checkout-button', 'variants': [{'key': 'control', 'weight': 0.5}, {'key': 'green', 'weight': 0.5}],"
                + "'metrics': [{'key': 'purchase', 'type': 'conversion', 'direction': 'increase', 'role': 'primary',"
                + "'minimumDetectableEffect': " + mde + "},"
                + "{'key': 'revenue', 'type': 'mean', 'direction': 'increase', 'role': 'secondary'},"
                + "{'key': 'error', 'type': 'conversion', 'direction': 'decrease', 'role': 'guardrail'}],"
                + "'minimumSampleSize': " + minimumSampleSize + "}");
    }

    /** Aggregates of a variant; {@code metrics} alternates metric key and aggregate. */
    static VariantAggregates variant(String key, long units, Object... metrics) {
        Map<String, MetricAggregate> byMetric = new LinkedHashMap<>();
        for (int i = 0; i < metrics.length; i += 2) {
            byMetric.put((String) metrics[i], (MetricAggregate) metrics[i + 1]);
        }
        return new VariantAggregates(key, units, byMetric);
    }

    /** A conversion metric where each converting unit has exactly one event of value 1. */
    static MetricAggregate conversions(long converted) {
        return new MetricAggregate(converted, BigDecimal.valueOf(converted), BigDecimal.valueOf(converted));
    }

    /** A mean metric from exact sums. */
    static MetricAggregate sums(long positiveUnits, String sum, String sumSquares) {
        return new MetricAggregate(positiveUnits, new BigDecimal(sum), new BigDecimal(sumSquares));
    }
}
