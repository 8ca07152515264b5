package io.splitline.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.JsonValues;
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
        ObjectNode detail = JsonValues.node(n.detail());
        String subject = detail.has("rollout") ? detail.get("rollout").asText() : detail.path("experiment").asText();
        String why = detail.has("reason") ? " — " + detail.get("reason").asText() : "";
        out.println("[event] " + n.detailType() + ": " + subject + why);
    }

    /** Every notification so far, oldest first. */
    synchronized List<Notification> published() {
        return List.copyOf(published);
    }
}
