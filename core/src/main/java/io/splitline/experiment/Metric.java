package io.splitline.experiment;

/**
 * A metric an experiment is judged on.
 *
 * @param key                     metric key, as sent in events
 * @param type                    conversion or mean
 * @param direction               which way is better
 * @param role                    primary, secondary or guardrail
 * @param minimumDetectableEffect smallest relative lift worth detecting (0.05 = 5 % of the control's
 *                                value), used for the power calculation; null when not set
 */
public record Metric(String key, MetricType type, Direction direction, MetricRole role, Double minimumDetectableEffect) {
}
