package io.splitline.notify;

import io.splitline.json.JsonObjectBuilder;
import io.splitline.store.DefinitionKind;
import java.time.Instant;

/**
 * Makes the notifications about any kind of definition. Each detail-type has one documented shape
 * (docs/notifications.md), made in one place: here, in {@code ExperimentNotifications},
 * {@code RolloutNotifications} and {@code ResultsNotifications}, each beside what it describes. Every detail
 * names its definition ({@code "experiment": key} or {@code "rollout": key}) so that a rule can filter on it.
 */
public final class Notifications {
    private Notifications() {
    }

    /** The scheduler took an action on a definition, at {@code at}, that was scheduled for {@code scheduledFor}. */
    public static Notification scheduledActionTaken(DefinitionKind kind, String key, String action, Instant scheduledFor,
                                                    Instant at) {
        JsonObjectBuilder detail = new JsonObjectBuilder();
        detail.put(kind.label(), key);
        detail.put("action", action);
        detail.put("scheduledFor", scheduledFor.toString());
        detail.put("at", at.toString());
        return new Notification(Notification.SCHEDULED_ACTION_TAKEN, at, detail.build());
    }
}
