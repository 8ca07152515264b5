package io.splitline.rollout;

import io.splitline.json.JsonObjectBuilder;
import io.splitline.notify.Notification;

/**
 * The notifications about a rollout's decisions (docs/notifications.md).
 */
public final class RolloutNotifications {
    private RolloutNotifications() {
    }

    /**
     * A rollout's decision ({@code rollout} is the stored version after it): stage advanced, completed,
     * paused, rolled back or aborted.
     */
    public static Notification rollout(String detailType, Rollout rollout) {
        RolloutDecision d = rollout.lastDecision();
        JsonObjectBuilder detail = new JsonObjectBuilder();
        detail.put("rollout", rollout.key());
        detail.put("description", rollout.spec().description());
        detail.put("status", rollout.status().json());
        detail.put("version", rollout.version());
        detail.put("stageIndex", rollout.stageIndex());
        detail.put("fromPercent", d.fromPercent());
        detail.put("percent", rollout.percent());
        detail.put("actor", d.actor());
        detail.put("at", d.at().toString());
        detail.put("reason", d.reason());
        detail.set("observations", d.observations());
        return new Notification(detailType, d.at(), detail.build());
    }
}
