package io.splitline.functions.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import io.splitline.stats.MetricAggregate;
import io.splitline.stats.QuantileSketch;
import io.splitline.stats.SketchBin;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A results body with {@code quantileMetrics} and {@code percentileCaps} matches the {@code Results} schema of docs/openapi.yaml. */
class QuantileResultsContractTest {
    private static final ExperimentSpec SPEC = ExperimentJson.parseSpec(Json.parseTrusted("""
            {"key": "checkout", "variants": [{"key": "control", "weight": 0.5}, {"key": "green", "weight": 0.5}],
             "metrics": [{"key": "revenue", "type": "mean", "role": "primary", "cap": {"percentile": 0.9}},
                         {"key": "latency", "type": "quantile", "direction": "decrease"}]}"""));

    @Test
    void resultsWithQuantileMetricsAndPercentileCaps_matchTheContract() {
        List<VariantAggregates> arms = List.of(arm("control", 100, 1), arm("green", 110, 2));

        JsonNode body = ResultsJson.toJson(ResultsCalculator.compute(SPEC, ExperimentStatus.RUNNING, arms,
                Instant.parse("2026-11-24T12:00:00Z")));

        assertEquals(4, body.get("quantileMetrics").get(0).get("comparisons").get(0).get("differences").size());
        assertEquals(1, body.get("percentileCaps").size());
        assertEquals(List.of(), HandlerCalls.CONTRACT.validate(body.toString(), "#/components/schemas/Results", "results"));
        ((ObjectNode) body.get("quantileMetrics").get(0).get("variants").get(0)).put("unexpected", 1);
        assertFalse(HandlerCalls.CONTRACT.validate(body.toString(), "#/components/schemas/Results", "results").isEmpty());
    }

    private static VariantAggregates arm(String key, long units, int shift) {
        Map<SketchBin, Long> latency = Map.of(SketchBin.of(BigDecimal.valueOf(80 + shift)), 300L,
                SketchBin.of(BigDecimal.valueOf(120 + shift)), 150L, SketchBin.of(BigDecimal.valueOf(900 + shift)), 20L);
        Map<SketchBin, Long> revenueTotals = Map.of(SketchBin.of(BigDecimal.TEN), units / 2, SketchBin.of(BigDecimal.valueOf(500)), 5L);
        MetricAggregate revenue = new MetricAggregate(units / 2 + 5, BigDecimal.valueOf(units / 2 * 10 + 2500),
                BigDecimal.valueOf(units / 2 * 100 + 5 * 250_000));
        return new VariantAggregates(key, units, Map.of("revenue", revenue), Map.of(), Map.of(),
                Map.of(), Map.of("latency", new QuantileSketch(latency)), Map.of("revenue", revenueTotals));
    }
}
