package io.splitline.notify;

import io.splitline.json.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One event people may want to hear about, as EventBridge carries it: {@code source}
 * {@value Notifier#SOURCE}, a {@code detail-type} per kind of event (the constants below), the time it
 * happened, and a JSON detail that always names the definition ({@code experiment} or {@code rollout}).
 * {@link Notifications} makes every one of them.
 *
 * @param detailType one of {@link #DETAIL_TYPES}
 * @param time       when it happened (the change's time, or the evaluation's)
 * @param detail     what happened, with the figures behind it
 */
public record Notification(String detailType, Instant time, JsonValue.JsonObject detail) {
    public static final String EXPERIMENT_STARTED = "Splitline Experiment Started";
    public static final String EXPERIMENT_COMPLETED = "Splitline Experiment Completed";
    public static final String SCHEDULED_ACTION_TAKEN = "Splitline Scheduled Action Taken";
    public static final String SRM_DETECTED = "Splitline SRM Detected";
    public static final String PRIMARY_METRIC_SIGNIFICANT = "Splitline Primary Metric Significant";
    public static final String RECOMMENDATION_CHANGED = "Splitline Recommendation Changed";
    public static final String GUARDRAIL_BREACHED = "Splitline Guardrail Breached";
    public static final String ROLLOUT_STAGE_ADVANCED = "Splitline Rollout Stage Advanced";
    public static final String ROLLOUT_COMPLETED = "Splitline Rollout Completed";
    public static final String ROLLOUT_PAUSED = "Splitline Rollout Paused";
    public static final String ROLLOUT_ROLLED_BACK = "Splitline Rollout Rolled Back";
    public static final String ROLLOUT_ABORTED = "Splitline Rollout Aborted";

    /** Every detail-type Splitline publishes. */
    public static final List<String> DETAIL_TYPES = List.of(EXPERIMENT_STARTED, EXPERIMENT_COMPLETED,
            SCHEDULED_ACTION_TAKEN, SRM_DETECTED, PRIMARY_METRIC_SIGNIFICANT, RECOMMENDATION_CHANGED,
            GUARDRAIL_BREACHED, ROLLOUT_STAGE_ADVANCED, ROLLOUT_COMPLETED, ROLLOUT_PAUSED, ROLLOUT_ROLLED_BACK,
            ROLLOUT_ABORTED);

    public Notification {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(detail, "detail");
        if (!DETAIL_TYPES.contains(detailType)) {
            throw new IllegalArgumentException("unknown detail-type " + detailType);
        }
    }
}
