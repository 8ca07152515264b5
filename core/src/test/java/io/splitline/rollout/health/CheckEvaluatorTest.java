package io.splitline.rollout.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.rollout.Comparison;
import io.splitline.rollout.MetricCheck;
import io.splitline.rollout.MetricQuery;
import io.splitline.rollout.RatioCheck;
import io.splitline.rollout.Statistic;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckEvaluatorTest {
    static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

    static Instant minute(int n) {
        return T0.plusSeconds(60L * n);
    }

    static MetricCheck check(Comparison comparison, double threshold) {
        return new MetricCheck("errors", "AWS/Lambda", "Errors", Map.of(), new Statistic("Sum"), 60, comparison, threshold);
    }

    static RatioCheck ratio(String numeratorStatistic) {
        return new RatioCheck("error-rate",
                new MetricQuery("AWS/Lambda", "Errors", Map.of(), new Statistic(numeratorStatistic)),
                new MetricQuery("AWS/Lambda", "Invocations", Map.of(), new Statistic("Sum")),
                60, Comparison.GREATER_THAN_THRESHOLD, 0.05);
    }

    @Test
    void periodEndingExactlyAtNow_counts_butOneEndingAfterNowDoesNot() {
        Map<Instant, Double> periods = Map.of(minute(8), 1.0, minute(9), 2.0, minute(10), 50.0);

        CheckObservation atBoundary = CheckEvaluator.metric(check(Comparison.GREATER_THAN_THRESHOLD, 5), periods, minute(10));
        CheckObservation oneSecondEarlier = CheckEvaluator.metric(check(Comparison.GREATER_THAN_THRESHOLD, 5), periods,
                minute(10).minusSeconds(1));

        assertEquals(2, atBoundary.dataPoints());
        assertEquals(2.0, atBoundary.value());
        assertFalse(atBoundary.breached(), "the running period (50) is not judged");
        assertEquals(1, oneSecondEarlier.dataPoints());
        assertEquals(1.0, oneSecondEarlier.value());
    }

    @Test
    void greaterThanComparison_reportsTheLargestPeriod_earliestOnTies() {
        Map<Instant, Double> periods = Map.of(minute(0), 3.0, minute(1), 7.0, minute(2), 7.0, minute(3), 1.0);

        CheckObservation seen = CheckEvaluator.metric(check(Comparison.GREATER_THAN_THRESHOLD, 6), periods, minute(10));

        assertEquals(4, seen.dataPoints());
        assertEquals(7.0, seen.value());
        assertEquals(minute(1), seen.periodStart());
        assertTrue(seen.breached());
        assertEquals(CheckKind.METRIC, seen.kind());
        assertNull(seen.numerator());
    }

    @Test
    void lessThanComparison_reportsTheSmallestPeriod() {
        Map<Instant, Double> periods = Map.of(minute(0), 30.0, minute(1), 12.0, minute(2), 45.0);

        CheckObservation seen = CheckEvaluator.metric(check(Comparison.LESS_THAN_THRESHOLD, 10), periods, minute(10));

        assertEquals(12.0, seen.value());
        assertEquals(minute(1), seen.periodStart());
        assertFalse(seen.breached());
    }

    @ParameterizedTest(name = "{0} {1} vs 5 -> breached={2}")
    @CsvSource({
        "GREATER_THAN_THRESHOLD, 5, false", "GREATER_THAN_THRESHOLD, 5.000001, true",
        "GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 5, true", "GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 4.999999, false",
        "LESS_THAN_THRESHOLD, 5, false", "LESS_THAN_THRESHOLD, 4.999999, true",
        "LESS_THAN_OR_EQUAL_TO_THRESHOLD, 5, true", "LESS_THAN_OR_EQUAL_TO_THRESHOLD, 5.000001, false"})
    void valueAtOrNextToTheThreshold_breachesExactlyAsTheOperatorSays(Comparison comparison, double value, boolean breached) {
        CheckObservation seen = CheckEvaluator.metric(check(comparison, 5), Map.of(minute(0), value), minute(10));

        assertEquals(breached, seen.breached());
    }

    @Test
    void noPeriods_isNoData_notZero() {
        CheckObservation seen = CheckEvaluator.metric(check(Comparison.LESS_THAN_THRESHOLD, 10), Map.of(), minute(10));

        assertEquals(0, seen.dataPoints());
        assertNull(seen.value());
        assertNull(seen.periodStart());
        assertFalse(seen.hasData());
        assertFalse(seen.breached(), "no data is not below the threshold");
    }

    @Test
    void nonFiniteValues_areIgnored() {
        Map<Instant, Double> periods = new HashMap<>();
        periods.put(minute(0), Double.NaN);
        periods.put(minute(1), Double.POSITIVE_INFINITY);
        periods.put(minute(2), null);
        periods.put(minute(3), 2.0);

        CheckObservation seen = CheckEvaluator.metric(check(Comparison.GREATER_THAN_THRESHOLD, 5), periods, minute(10));

        assertEquals(1, seen.dataPoints());
        assertEquals(2.0, seen.value());
    }

    @Test
    void ratio_isComputedPerPeriod_andReportsTheWorstPeriodsOperands() {
        Map<Instant, Double> errors = Map.of(minute(0), 1.0, minute(1), 3.0);
        Map<Instant, Double> invocations = Map.of(minute(0), 100.0, minute(1), 30.0);

        CheckObservation seen = CheckEvaluator.ratio(ratio("Sum"), errors, invocations, minute(10));

        assertEquals(CheckKind.RATIO, seen.kind());
        assertEquals(2, seen.dataPoints());
        assertEquals(0.1, seen.value(), 1e-15);
        assertEquals(3.0, seen.numerator());
        assertEquals(30.0, seen.denominator());
        assertEquals(minute(1), seen.periodStart());
        assertTrue(seen.breached());
    }

    @Test
    void ratioWithoutNumeratorData_countsTheNumeratorAsZero_forAdditiveStatistics() {
        CheckObservation seen = CheckEvaluator.ratio(ratio("Sum"), Map.of(), Map.of(minute(0), 40.0), minute(10));

        assertEquals(1, seen.dataPoints());
        assertEquals(0.0, seen.value());
        assertEquals(0.0, seen.numerator());
        assertFalse(seen.breached());
    }

    @Test
    void ratioWithoutNumeratorData_hasNoValue_forOtherStatistics() {
        CheckObservation seen = CheckEvaluator.ratio(ratio("Average"), Map.of(), Map.of(minute(0), 40.0), minute(10));

        assertEquals(0, seen.dataPoints());
        assertNull(seen.value());
    }

    @Test
    void periodsWithoutDenominatorOrWithZero_haveNoRatio() {
        Map<Instant, Double> errors = Map.of(minute(0), 2.0, minute(1), 2.0);
        Map<Instant, Double> invocations = Map.of(minute(1), 0.0);

        CheckObservation seen = CheckEvaluator.ratio(ratio("Sum"), errors, invocations, minute(10));

        assertEquals(0, seen.dataPoints());
        assertFalse(seen.breached());
    }

    @Test
    void observation_withAValueButNoDataPoints_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CheckObservation("x", CheckKind.METRIC,
                Comparison.GREATER_THAN_THRESHOLD, 1, 60, 0, 2.0, T0, null, null, true));
        assertThrows(IllegalArgumentException.class, () -> new CheckObservation("x", CheckKind.METRIC,
                Comparison.GREATER_THAN_THRESHOLD, 1, 60, 0, null, null, null, null, true));
    }
}
