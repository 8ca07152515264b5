package io.splitline.rollout.health;

import io.splitline.rollout.Comparison;
import io.splitline.rollout.MetricCheck;
import io.splitline.rollout.RatioCheck;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns per-period values into a {@link CheckObservation}, the same way for every {@link HealthSource}.
 * The rules:
 * <ul>
 *   <li>Only complete periods count: a period that starts at {@code t} counts when
 *       {@code t + period <= now}. A period still running holds partial data (a partial Sum understates,
 *       a partial Average or percentile is noisy), so judging it would be judging guesses.</li>
 *   <li>The observed value is the worst complete period (largest for greater-than comparisons,
 *       smallest for less-than ones; the earliest on ties), so the check is breached exactly when at
 *       least one complete period breached, like a CloudWatch alarm with one datapoint to alarm.</li>
 *   <li>A ratio has a value in a period when the denominator has a positive value there. A missing
 *       numerator counts as 0 when its statistic is additive (Sum, SampleCount: no data points means
 *       nothing was counted) and leaves the period without a ratio otherwise.</li>
 *   <li>Non-finite values are ignored.</li>
 * </ul>
 */
public final class CheckEvaluator {
    private CheckEvaluator() {
    }

    /**
     * @param periods period start → the check's statistic over that period
     * @param now     end of the window
     */
    public static CheckObservation metric(MetricCheck check, Map<Instant, Double> periods, Instant now) {
        Comparison comparison = check.comparison();
        int dataPoints = 0;
        Instant worstAt = null;
        double worst = Double.NaN;
        for (Map.Entry<Instant, Double> e : new TreeMap<>(periods).entrySet()) {
            Double value = e.getValue();
            if (value == null || !Double.isFinite(value) || !complete(e.getKey(), check.periodSeconds(), now)) {
                continue;
            }
            dataPoints++;
            if (worstAt == null || comparison.isWorse(value, worst)) {
                worst = value;
                worstAt = e.getKey();
            }
        }
        if (worstAt == null) {
            return new CheckObservation(check.name(), CheckKind.METRIC, comparison, check.threshold(),
                    check.periodSeconds(), 0, null, null, null, null, false);
        }
        return new CheckObservation(check.name(), CheckKind.METRIC, comparison, check.threshold(), check.periodSeconds(),
                dataPoints, worst, worstAt, null, null, comparison.breaches(worst, check.threshold()));
    }

    /**
     * @param numerator   period start → the numerator's statistic over that period
     * @param denominator period start → the denominator's statistic over that period
     * @param now         end of the window
     */
    public static CheckObservation ratio(RatioCheck check, Map<Instant, Double> numerator,
                                         Map<Instant, Double> denominator, Instant now) {
        Comparison comparison = check.comparison();
        boolean missingNumeratorIsZero = check.numerator().statistic().isAdditive();
        int dataPoints = 0;
        Instant worstAt = null;
        double worst = Double.NaN;
        double worstNumerator = Double.NaN;
        double worstDenominator = Double.NaN;
        for (Map.Entry<Instant, Double> e : new TreeMap<>(denominator).entrySet()) {
            Double below = e.getValue();
            if (below == null || !Double.isFinite(below) || below <= 0
                    || !complete(e.getKey(), check.periodSeconds(), now)) {
                continue;
            }
            Double above = numerator.get(e.getKey());
            if (above == null && missingNumeratorIsZero) {
                above = 0.0;
            }
            if (above == null || !Double.isFinite(above)) {
                continue;
            }
            double ratio = above / below;
            dataPoints++;
            if (worstAt == null || comparison.isWorse(ratio, worst)) {
                worst = ratio;
                worstAt = e.getKey();
                worstNumerator = above;
                worstDenominator = below;
            }
        }
        if (worstAt == null) {
            return new CheckObservation(check.name(), CheckKind.RATIO, comparison, check.threshold(),
                    check.periodSeconds(), 0, null, null, null, null, false);
        }
        return new CheckObservation(check.name(), CheckKind.RATIO, comparison, check.threshold(), check.periodSeconds(),
                dataPoints, worst, worstAt, worstNumerator, worstDenominator, comparison.breaches(worst, check.threshold()));
    }

    private static boolean complete(Instant periodStart, int periodSeconds, Instant now) {
        return !periodStart.plusSeconds(periodSeconds).isAfter(now);
    }
}
