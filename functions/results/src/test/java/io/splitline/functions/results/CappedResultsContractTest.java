package io.splitline.functions.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.CappedSums;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.http.HandlerCalls;
import io.splitline.json.Json;
import io.splitline.results.ResultsCalculator;
import io.splitline.results.ResultsJson;
import io.splitline.stats.MetricAggregate;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A capped metric's per-variant {@code cap} in the results body matches the {@code Results} schema of docs/openapi.yaml. */
class CappedResultsContractTest {
    private static final ExperimentSpec SPEC = ExperimentJson.parseSpec(Json.parseTrusted("""
            {"key": "checkout", "variants": [{"key": "control", "weight": 0.5}, {"key": "green", "weight": 0.5}],
             "metrics": [{"key": "revenue", "type": "mean", "role": "primary", "cap": {"value": 250.5}}]}"""));

    @Test
    void resultsWithACappedMetric_matchTheContract() {
        JsonNode body = ResultsJson.toJson(ResultsCalculator.compute(SPEC, ExperimentStatus.RUNNING,
                List.of(arm("control", 1000, 12), arm("green", 1010, 15)), Instant.parse("2026-11-24T12:00:00Z")));

        JsonNode cap = body.get("variants").get(1).get("metrics").get("revenue").get("cap");
        assertEquals("{\"value\":250.5,\"cappedUnits\":15}", cap.toString());
        assertEquals(List.of(), HandlerCalls.CONTRACT.validate(body.toString(), "#/components/schemas/Results", "results"));
        ((ObjectNode) cap).put("unexpected", 1);
        assertFalse(HandlerCalls.CONTRACT.validate(body.toString(), "#/components/schemas/Results", "results").isEmpty(),
                "the schema constrains the cap object");
    }

    private static VariantAggregates arm(String key, long units, long capped) {
        MetricAggregate revenue = new MetricAggregate(units / 2, BigDecimal.valueOf(units * 40), BigDecimal.valueOf(units * 90_000));
        return new VariantAggregates(key, units, Map.of("revenue", revenue), Map.of(), Map.of(), Map.of("revenue",
                new CappedSums(BigDecimal.valueOf(units * 30), BigDecimal.valueOf(units * 4_000), capped)), Map.of(), Map.of());
    }
}
