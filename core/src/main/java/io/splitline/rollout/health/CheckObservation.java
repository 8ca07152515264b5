package io.splitline.rollout.health;

import io.splitline.rollout.Comparison;
import java.time.Instant;

/**
 * What one metric or ratio check saw over the window: how many complete periods had data, the worst of
 * their values (the largest for greater-than comparisons, the smallest for less-than ones) and whether
 * it breached the threshold. Because the worst period is reported, "breached" means "at least one
 * complete period breached". No data is not zero: {@code value} is null and {@code dataPoints} 0, and
 * such a check is never breached (the step holds on it through {@code minimumDataPoints}).
 *
 * @param name          the check's name
 * @param kind          metric or ratio
 * @param comparison    the check's comparison
 * @param threshold     the check's threshold
 * @param periodSeconds the check's period
 * @param dataPoints    complete periods with a value in the window
 * @param value         the worst period's value, or null without data
 * @param periodStart   start of the worst period (earliest if tied), or null without data
 * @param numerator     for ratios, the worst period's numerator value; null otherwise
 * @param denominator   for ratios, the worst period's denominator value; null otherwise
 * @param breached      whether {@code value} is on the unhealthy side of {@code threshold}
 */
public record CheckObservation(String name, CheckKind kind, Comparison comparison, double threshold, int periodSeconds,
                               int dataPoints, Double value, Instant periodStart, Double numerator, Double denominator,
                               boolean breached) {

    public CheckObservation {
        if ((value == null) != (dataPoints == 0)) {
            throw new IllegalArgumentException("a check has a value exactly when it has data points");
        }
        if (value == null && breached) {
            throw new IllegalArgumentException("a check without data cannot be breached");
        }
    }

    public boolean hasData() {
        return dataPoints > 0;
    }
}
