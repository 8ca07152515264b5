package io.splitline.results;

import io.splitline.aggregate.VariantAggregates;
import io.splitline.error.InvalidFieldException;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.experiment.Metric;
import io.splitline.experiment.MetricType;
import io.splitline.stats.MetricAggregate;
import io.splitline.stats.QuantileDifference;
import io.splitline.stats.QuantileSketch;
import io.splitline.stats.SketchBin;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quantile metrics and percentile caps in the results: their definition rules, the quantile metric reported on
 * its own (never in the comparisons or the recommendation), and a capped mean computed from the sketch of totals.
 */
class QuantileMetricResultsTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String REVENUE = "{'key': 'revenue', 'type': 'mean', 'role': 'primary', 'cap': {'percentile': 0.9}}";
    private static final String LATENCY = "{'key': 'latency', 'type': 'quantile', 'direction': 'decrease'}";

    private static ExperimentSpec spec(String... metrics) {
        return Fixtures.spec("{'key': 'q', 'variants': [{'key': 'control', 'weight': 0.5}, {'key': 'green', 'weight': 0.5}],"
                + "'metrics': [" + String.join(",", metrics) + "]}");
    }

    @Test
    void quantileMetricsAndPercentileCaps_roundTrip_andTheirRulesNameTheField() {
        ExperimentSpec spec = spec(REVENUE, LATENCY);

        assertEquals(0.9, spec.metrics().get(0).capPercentile());
        assertEquals(MetricType.QUANTILE, spec.metrics().get(1).type());
        assertEquals(spec, ExperimentJson.parseSpec(ExperimentJson.specToJson(spec)));
        assertEquals("metrics[0].role", invalidField("{'key': 'l', 'type': 'quantile', 'role': 'primary'}"));
        assertEquals("metrics[0].cap", invalidField("{'key': 'c', 'type': 'conversion', 'cap': {'percentile': 0.9}}"));
        assertEquals("metrics[0].cap.percentile", invalidField("{'key': 'r', 'type': 'mean', 'cap': {'percentile': 1}}"));
        assertEquals("metrics[0].cap.other", invalidField("{'key': 'r', 'type': 'mean', 'cap': {'other': 1}}"));
    }

    @Test
    void addingOrRemovingACap_changesTheDataBehindTheMetric_changingThePercentileDoesNot() {
        Metric capped = spec(REVENUE).metrics().get(0);
        Metric other = spec(REVENUE.replace("0.9", "0.95")).metrics().get(0);
        Metric plain = spec("{'key': 'revenue', 'type': 'mean', 'role': 'primary'}").metrics().get(0);

        assertTrue(capped.sameDataAs(other));
        assertFalse(capped.sameDataAs(plain));
    }

    @Test
    void aQuantileMetric_isReportedOnItsOwn_andChangesNothingElse() {
        ExperimentSpec withQuantiles = spec("{'key': 'revenue', 'type': 'mean', 'role': 'primary'}", LATENCY);
        ExperimentSpec without = spec("{'key': 'revenue', 'type': 'mean', 'role': 'primary'}");
        List<VariantAggregates> data = List.of(arm("control", 1000, 100), arm("green", 1000, 110));

        ExperimentResults r = ResultsCalculator.compute(withQuantiles, ExperimentStatus.RUNNING, data, NOW);
        ExperimentResults plain = ResultsCalculator.compute(without, ExperimentStatus.RUNNING, data, NOW);

        assertEquals(plain.comparisons(), r.comparisons());
        assertEquals(plain.variants(), r.variants());
        assertEquals(plain.recommendation(), r.recommendation());
        QuantileMetricResult latency = r.quantileMetrics().get(0);
        assertEquals(List.of(1000L, 1000L), latency.variants().stream().map(QuantileMetricResult.Arm::events).toList());
        assertEquals(QuantileMetricResult.QUANTILES, latency.variants().get(0).quantiles().stream()
                .map(QuantileDifference.ArmQuantile::quantile).toList());
        QuantileDifference.Difference median = latency.comparisons().get(0).differences().get(0);
        assertEquals(median.treatment() - median.control(), median.difference(), 1e-9);
        assertTrue(median.ci().lower() <= median.difference() && median.difference() <= median.ci().upper());
    }

    @Test
    void anArmWithFewerThanTwoEvents_hasNoQuantiles_andItsComparisonSaysWhy() {
        ExperimentResults r = ResultsCalculator.compute(spec(LATENCY), ExperimentStatus.RUNNING,
                List.of(arm("control", 1000, 100), VariantAggregates.empty("green")), NOW);

        QuantileMetricResult latency = r.quantileMetrics().get(0);
        assertEquals(List.of(), latency.variants().get(1).quantiles());
        assertEquals(List.of(), latency.comparisons().get(0).differences());
        assertEquals(List.of(QuantileMetricResult.TOO_FEW), latency.comparisons().get(0).notes());
    }

    @Test
    void aPercentileCap_isThePooledQuantileOfUnitTotals_andTheMeanIsOfTheCappedTotals() {
        // 100 units per arm: 80 without revenue, control 15 at 10 and 5 at 1000, green 15 at 20 and 5 at 1000
        List<VariantAggregates> data = List.of(capArm("control", 10), capArm("green", 20));

        ExperimentResults r = ResultsCalculator.compute(spec(REVENUE), ExperimentStatus.RUNNING, data, NOW);

        // pooled: 160 zeros, 15 tens, 15 twenties, 10 thousands; rank floor(0.9·199) = 179 is a twenty
        double cap = SketchBin.of(BigDecimal.valueOf(20)).value();
        assertEquals(new PercentileCaps.Applied("revenue", 0.9, cap, null), r.percentileCaps().get(0));
        double controlMean = (15 * SketchBin.of(BigDecimal.TEN).value() + 5 * cap) / 100;
        assertEquals(controlMean, r.variants().get(0).metrics().get(0).mean(), 1e-9);
        assertEquals(20 * cap / 100, r.variants().get(1).metrics().get(0).mean(), 1e-9);
    }

    @Test
    void aSketchThatDoesNotDescribeItsUnits_leavesTheMetricUncapped_withANote() {
        VariantAggregates broken = new VariantAggregates("control", 100, Map.of("revenue", revenue(10)), Map.of(), Map.of(),
                Map.of(), Map.of(), Map.of("revenue", Map.of(SketchBin.of(BigDecimal.TEN), -1L)));

        ExperimentResults r = ResultsCalculator.compute(spec(REVENUE), ExperimentStatus.RUNNING,
                List.of(broken, capArm("green", 20)), NOW);

        assertNull(r.percentileCaps().get(0).value());
        assertEquals(PercentileCaps.INCOMPLETE, r.percentileCaps().get(0).note());
        assertEquals((15 * 10 + 5 * 1000) / 100.0, r.variants().get(0).metrics().get(0).mean(), 1e-9);
    }

    private static String invalidField(String metric) {
        return assertThrows(InvalidFieldException.class, () -> spec(metric)).field();
    }

    /** An arm whose latency sketch holds 1000 values around {@code median}, and a revenue mean. */
    private static VariantAggregates arm(String key, long units, int median) {
        Map<SketchBin, Long> latency = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            latency.merge(SketchBin.of(BigDecimal.valueOf(median * Math.exp((i - 500) / 300.0))), 1L, Long::sum);
        }
        return new VariantAggregates(key, units, Map.of("revenue", revenue(median)), Map.of(), Map.of(),
                Map.of(), Map.of("latency", new QuantileSketch(latency)), Map.of());
    }

    private static VariantAggregates capArm(String key, int small) {
        return new VariantAggregates(key, 100, Map.of("revenue", revenue(small)), Map.of(), Map.of(), Map.of(), Map.of(),
                Map.of("revenue", Map.of(SketchBin.of(BigDecimal.valueOf(small)), 15L, SketchBin.of(BigDecimal.valueOf(1000)), 5L)));
    }

    /** 15 units at {@code small} and 5 at 1000, uncapped. */
    private static MetricAggregate revenue(int small) {
        return new MetricAggregate(20, BigDecimal.valueOf(15L * small + 5000), BigDecimal.valueOf(15L * small * small + 5_000_000));
    }
}
