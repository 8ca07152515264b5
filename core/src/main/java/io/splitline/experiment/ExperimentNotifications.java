package io.splitline.experiment;

import io.splitline.json.JsonObjectBuilder;
import io.splitline.notify.Notification;

/**
 * The notifications about an experiment's lifecycle (docs/notifications.md).
 */
public final class ExperimentNotifications {
    private ExperimentNotifications() {
    }

    /** An experiment started or completed (by an operator or the scheduler). */
    public static Notification experimentMoved(String detailType, Experiment e, String actor) {
        JsonObjectBuilder detail = new JsonObjectBuilder();
        detail.put("experiment", e.key());
        detail.put("description", e.spec().description());
        detail.put("status", e.status().json());
        detail.put("version", e.version());
        detail.put("actor", actor);
        detail.put("at", e.updatedAt().toString());
        return new Notification(detailType, e.updatedAt(), detail.build());
    }
}
