package io.splitline.local;

import io.splitline.notify.Notification;
import io.splitline.notify.Notifier;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the local stack's functions announce what EventBridge would carry in AWS: one line on the console
 * per notification, and an in-memory list the demo and tests can read.
 */
final class LocalNotifications implements Notifier {
    private final PrintStream out;
    private final List<Notification> published = new ArrayList<>();

    LocalNotifications(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void publish(Notification n) {
        published.add(n);
        String subject = n.detail().has("rollout") ? n.detail().get("rollout").asText()
                : n.detail().path("experiment").asText();
        String why = n.detail().has("reason") ? " — " + n.detail().get("reason").asText() : "";
        out.println("[event] " + n.detailType() + ": " + subject + why);
    }

    /** Every notification so far, oldest first. */
    synchronized List<Notification> published() {
        return List.copyOf(published);
    }
}
