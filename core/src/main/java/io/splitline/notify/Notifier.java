package io.splitline.notify;

import io.splitline.json.JsonValues;
import org.slf4j.LoggerFactory;

/**
 * Where Splitline announces what people must hear about: EventBridge in AWS
 * ({@code EventBridgeNotifier}), a log and an in-memory list in the local stack and tests. Called after
 * the change it announces is stored, by the one writer whose conditional write won, so each change is
 * announced once; a failed announcement never undoes the change.
 */
@FunctionalInterface
public interface Notifier {
    /** The EventBridge {@code source} of Splitline's events. */
    String SOURCE = "splitline";

    /** Drops every notification: for code paths whose tests do not look at notifications. */
    Notifier NONE = notification -> { };

    /**
     * Delivers one notification.
     *
     * @throws RuntimeException when it could not be delivered
     */
    void publish(Notification notification);

    /**
     * Publishes, logging the failure instead of throwing: for callers whose change is already stored and
     * must be answered as done (the management API). The notification is then lost; the change and its
     * history entry stand.
     */
    default void publishOrLog(Notification notification) {
        try {
            publish(notification);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(Notifier.class).error("could not publish '{}' {}", notification.detailType(),
                    JsonValues.write(notification.detail()), e);
        }
    }
}
