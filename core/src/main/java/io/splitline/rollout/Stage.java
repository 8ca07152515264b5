package io.splitline.rollout;

import java.time.Duration;

/**
 * One step of a rollout: the share of units in treatment, and how long the stage must stay healthy
 * before the next one.
 *
 * @param percent whole percent of units in treatment, 1–100
 * @param bake    minimum time at this percent before advancing, 0 to 30 days
 */
public record Stage(int percent, Duration bake) {
}
