package io.splitline.functions.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.http.HandlerCalls;
import io.splitline.json.Json;
import io.splitline.results.ResultsCalculator;
import io.splitline.results.ResultsJson;
import io.splitline.results.SegmentAggregates;
import io.splitline.stats.CovariateSums;
import io.splitline.stats.MetricAggregate;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The optional parts of the results body (a comparison's {@code cuped}, the exploratory {@code segments}, a ratio
 * metric) match
 * the {@code Results} schema of docs/openapi.yaml; the handler tests cover the body without them.
 */
class ResultsContractTest {
    private static final ExperimentSpec SPEC = ExperimentJson.parseSpec(Json.parseTrusted("""
            {"key": "checkout", "variants": [{"key": "control", "weight": 0.5}, {"key": "green", "weight": 0.5}],
             "metrics": [{"key": "revenue", "type": "mean", "role": "primary"},
                         {"key": "purchase", "type": "conversion", "role": "guardrail", "direction": "increase"},
                         {"key": "per-session", "type": "ratio", "numerator": "revenue", "denominator": "session"}]}"""));

    @Test
    void resultsWithCupedAndSegments_matchTheContract() {
        List<VariantAggregates> arms = List.of(arm("control", 1000, "5012.50", "40000.25", "9000"),
                arm("green", 1010, "5400.00", "41000.75", "9300"));
        List<SegmentAggregates> segments = List.of(new SegmentAggregates("country", "DE", arms),
                new SegmentAggregates("country", "other", List.of(arm("control", 30, "100", "900", "280"),
                        VariantAggregates.empty("green"))));

        JsonNode body = ResultsJson.toJson(ResultsCalculator.compute(SPEC, ExperimentStatus.RUNNING, arms, segments,
                Instant.parse("2026-11-24T12:00:00Z")));

        assertTrue(body.get("comparisons").get(0).has("cuped"));
        assertEquals(2, body.get("segments").size());
        assertEquals(List.of(), HandlerCalls.CONTRACT.validate(body.toString(), "#/components/schemas/Results", "results"));
        // and the schema does constrain them: an unknown field in a segment's SRM or in cuped is a violation
        ((ObjectNode) body.get("segments").get(0).get("srm")).put("unexpected", 1);
        assertFalse(HandlerCalls.CONTRACT.validate(body.toString(), "#/components/schemas/Results", "results").isEmpty());
        ((ObjectNode) body.get("segments").get(0).get("srm")).remove("unexpected");
        ((ObjectNode) body.get("comparisons").get(0).get("cuped")).put("unexpected", 1);
        assertFalse(HandlerCalls.CONTRACT.validate(body.toString(), "#/components/schemas/Results", "results").isEmpty());
    }

    private static VariantAggregates arm(String key, long units, String sum, String sumSquares, String sumXY) {
        MetricAggregate revenue = new MetricAggregate(units / 2, new BigDecimal(sum), new BigDecimal(sumSquares));
        MetricAggregate purchase = new MetricAggregate(units / 3, BigDecimal.valueOf(units / 3), BigDecimal.valueOf(units / 3));
        MetricAggregate sessions = new MetricAggregate(units, BigDecimal.valueOf(units * 3), BigDecimal.valueOf(units * 11));
        CovariateSums covariate = new CovariateSums(BigDecimal.valueOf(units * 2), BigDecimal.valueOf(units * 7),
                new BigDecimal(sumXY));
        return new VariantAggregates(key, units, Map.of("revenue", revenue, "purchase", purchase, "session", sessions),
                Map.of("revenue", covariate, "purchase", covariate),
                Map.of("per-session", new BigDecimal(sumXY).multiply(BigDecimal.TEN)));
    }
}
