package io.splitline.results;

import io.splitline.aggregate.VariantAggregates;
import io.splitline.error.InvalidFieldException;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.experiment.Metric;
import io.splitline.experiment.MetricType;
import io.splitline.results.ExperimentResults.Comparison;
import io.splitline.stats.EffectTest;
import io.splitline.stats.MeanSample;
import io.splitline.stats.MetricAggregate;
import io.splitline.stats.RatioMoments;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ratio metrics: their definition ({@code numerator}, {@code denominator}) and their results (delta method). */
class RatioMetricTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String RATIO = "{'key': 'revenue-per-session', 'type': 'ratio', 'numerator': 'revenue', 'denominator': 'session', 'role': 'primary'}";
    private static final ExperimentSpec SPEC = spec(RATIO);

    private static ExperimentSpec spec(String metric) {
        return Fixtures.spec("{'key': 'rps', 'variants': [{'key': 'control', 'weight': 0.5}, {'key': 'green', 'weight': 0.5}],"
                + "'metrics': [" + metric + "]}");
    }

    @Test
    void aRatioMetric_namesItsNumeratorAndDenominator_andRoundTrips() {
        Metric m = SPEC.metrics().get(0);

        assertEquals(MetricType.RATIO, m.type());
        assertEquals("revenue", m.numerator());
        assertEquals("session", m.denominator());
        assertEquals(SPEC, ExperimentJson.parseSpec(ExperimentJson.specToJson(SPEC)));
    }

    @Test
    void ratioParts_areRequiredForARatio_andRefusedOtherwise() {
        assertEquals("metrics[0].denominator", invalidField("{'key': 'r', 'type': 'ratio', 'numerator': 'revenue'}"));
        assertEquals("metrics[0].denominator", invalidField("{'key': 'r', 'type': 'ratio', 'numerator': 'a', 'denominator': 'a'}"));
        assertEquals("metrics[0].numerator", invalidField("{'key': 'r', 'type': 'mean', 'numerator': 'a'}"));
        assertEquals("metrics[0].denominator", invalidField("{'key': 'r', 'type': 'conversion', 'denominator': 'a'}"));
    }

    private static String invalidField(String metric) {
        return assertThrows(InvalidFieldException.class, () -> spec(metric)).field();
    }

    @Test
    void results_useTheDeltaMethodWithTheCovariance() {
        VariantAggregates control = arm("control", 1000, "3012.40", "21000.10", "3050", "11100", "10400.20");
        VariantAggregates green = arm("green", 1000, "3300.00", "23500.50", "3010", "10900", "11200.70");

        ExperimentResults r = ResultsCalculator.compute(SPEC, ExperimentStatus.RUNNING, List.of(control, green), NOW);

        MeanSample c = RatioMoments.of(1000, control.metric("revenue"), control.metric("session"), new BigDecimal("10400.20")).sample();
        MeanSample t = RatioMoments.of(1000, green.metric("revenue"), green.metric("session"), new BigDecimal("11200.70")).sample();
        EffectTest expected = EffectTest.decisive(c, t);
        Comparison comparison = r.comparisons().get(0);
        assertEquals(EffectTest.RELATIVE, comparison.test());
        assertEquals(expected.estimate(), comparison.estimate());
        assertEquals(expected.pValue(), comparison.pValue());
        assertEquals(3300.00 / 3010 / (3012.40 / 3050) - 1, comparison.relativeLift(), 1e-12);
        assertEquals(3012.40 / 3050, r.variants().get(0).metrics().get(0).mean(), 1e-12);
        assertEquals(List.of(), comparison.notes());
        assertNull(comparison.cuped());
    }

    @Test
    void withoutTheProductSum_theRatioIsShownButNotTested() {
        VariantAggregates control = new VariantAggregates("control", 1000, arm("control", 1000, "3012.40", "21000.10", "3050", "11100", "0").metrics());
        VariantAggregates green = arm("green", 1000, "3300.00", "23500.50", "3010", "10900", "11200.70");

        Comparison comparison = ResultsCalculator.compute(SPEC, ExperimentStatus.RUNNING, List.of(control, green), NOW)
                .comparisons().get(0);

        assertFalse(comparison.significant());
        assertEquals(1.0, comparison.pValue());
        assertTrue(comparison.notes().contains(RatioResults.NO_PRODUCTS), comparison.notes().toString());
        assertEquals(3300.00 / 3010 / (3012.40 / 3050) - 1, comparison.relativeLift(), 1e-12);
    }

    private static VariantAggregates arm(String key, long units, String sum, String sumSquares, String sessions,
                                         String sessionSquares, String products) {
        return new VariantAggregates(key, units,
                Map.of("revenue", new MetricAggregate(units / 2, new BigDecimal(sum), new BigDecimal(sumSquares)),
                        "session", new MetricAggregate(units, new BigDecimal(sessions), new BigDecimal(sessionSquares))),
                Map.of(), Map.of("revenue-per-session", new BigDecimal(products)));
    }
}
