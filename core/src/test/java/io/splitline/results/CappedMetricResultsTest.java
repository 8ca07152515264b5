package io.splitline.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.aggregate.CappedSums;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.results.ExperimentResults.VariantMetric;
import io.splitline.stats.CovariateSums;
import io.splitline.stats.MeanSample;
import io.splitline.stats.MetricAggregate;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A capped mean metric's results read the capped sums, show the cap and the capped units, and get no CUPED
 * (the kept Σxy is of the uncapped totals); an uncapped metric beside it is unchanged. The numbers themselves
 * are checked against numpy end to end by {@code CappedRatioEndToEndTest} (module dynamodb).
 */
class CappedMetricResultsTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final ExperimentSpec SPEC = Fixtures.spec("{'key': 'capped', 'variants': [{'key': 'control', 'weight': 0.5},"
            + " {'key': 'green', 'weight': 0.5}], 'metrics': [{'key': 'revenue', 'type': 'mean', 'role': 'primary', 'cap': {'value': 50}},"
            + " {'key': 'refund', 'type': 'mean'}]}");

    @Test
    void aCappedMetric_readsItsCappedSums_andSaysSo() {
        VariantAggregates control = arm("control", "800.00", "90000.00", "600.00", "20000.00", 3);
        VariantAggregates green = arm("green", "900.00", "95000.00", "700.00", "25000.00", 5);

        ExperimentResults r = ResultsCalculator.compute(SPEC, ExperimentStatus.RUNNING, List.of(control, green), NOW);

        VariantMetric revenue = r.variants().get(1).metrics().get(0);
        MeanSample capped = MeanSample.fromSums(100, new BigDecimal("700.00"), new BigDecimal("25000.00"));
        assertEquals(7.0, revenue.mean(), 1e-12);
        assertEquals(capped.standardDeviation(), revenue.stdDev(), 1e-12);
        assertEquals(new BigDecimal("50"), revenue.capping().value());
        assertEquals(5, revenue.capping().cappedUnits());
        assertEquals(7.0 / 6.0 - 1, r.comparisons().get(0).relativeLift(), 1e-12);
        assertNull(r.comparisons().get(0).cuped(), "no CUPED on capped totals");
        VariantMetric refund = r.variants().get(1).metrics().get(1);
        assertNull(refund.capping());
        assertEquals(2.0, refund.mean(), 1e-12, "an uncapped metric reads its own sums");
        assertNotNull(r.comparisons().get(1).cuped(), "and keeps CUPED");

        JsonNode json = ResultsJson.toJson(r).get("variants").get(1).get("metrics");
        assertEquals("{\"value\":50,\"cappedUnits\":5}", json.get("revenue").get("cap").toString());
        assertTrue(json.get("refund").get("cap") == null);
        assertEquals(7.0, ResultsCalculator.sample(SPEC.metrics().get(0), green) instanceof MeanSample m ? m.mean() : 0, 1e-12,
                "power and every test read the same capped sample");
    }

    private static VariantAggregates arm(String key, String sum, String sumSquares, String cappedSum, String cappedSquares,
                                         long cappedUnits) {
        MetricAggregate revenue = new MetricAggregate(40, new BigDecimal(sum), new BigDecimal(sumSquares));
        CovariateSums covariates = new CovariateSums(new BigDecimal("300"), new BigDecimal("5000"), new BigDecimal("4000"));
        return new VariantAggregates(key, 100, Map.of("revenue", revenue, "refund", new MetricAggregate(10, new BigDecimal("200"),
                new BigDecimal("9000"))), Map.of("revenue", covariates, "refund", covariates), Map.of(),
                Map.of("revenue", new CappedSums(new BigDecimal(cappedSum), new BigDecimal(cappedSquares), cappedUnits)),
                Map.of(), Map.of());
    }
}
