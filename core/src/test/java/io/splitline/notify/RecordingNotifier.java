package io.splitline.notify;

import java.util.ArrayList;
import java.util.List;

/** Keeps every notification, for tests to read (thread-safe: steps may run concurrently). */
public final class RecordingNotifier implements Notifier {
    private final List<Notification> published = new ArrayList<>();

    @Override
    public synchronized void publish(Notification notification) {
        published.add(notification);
    }

    public synchronized List<Notification> published() {
        return List.copyOf(published);
    }

    /** The detail-types published so far, in order. */
    public synchronized List<String> detailTypes() {
        return published.stream().map(Notification::detailType).toList();
    }
}
