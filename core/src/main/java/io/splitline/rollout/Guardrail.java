package io.splitline.rollout;

import io.splitline.experiment.Direction;
import io.splitline.experiment.MetricType;

/**
 * A metric on which treatment must not be significantly worse than control, judged from the events the
 * app sends with the rollout's key (not from CloudWatch).
 *
 * @param metric    metric key, as sent in events
 * @param type      conversion (share of units with a positive total) or mean (of per-unit totals)
 * @param direction which way is better; the guardrail trips on a significant move the other way
 */
public record Guardrail(String metric, MetricType type, Direction direction) {
}
