package io.splitline.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** An in-memory twin of {@link RawEventStore}: conditional puts by (unit, sort key), some of them throttled. */
final class InMemoryRawEventStore implements RawEventStore {
    final Map<String, RawEvent> stored = new LinkedHashMap<>();
    private Predicate<RawEvent> throttled = e -> false;

    /** From now on, puts of the events this matches are throttled (reported unprocessed, nothing written). */
    void throttle(Predicate<RawEvent> which) {
        throttled = which;
    }

    @Override
    public synchronized List<Outcome> putNew(List<RawEvent> events) {
        List<Outcome> outcomes = new ArrayList<>();
        for (RawEvent e : events) {
            if (throttled.test(e)) {
                outcomes.add(Outcome.UNPROCESSED);
            } else {
                outcomes.add(stored.putIfAbsent(e.event().unitId() + "\u0000" + e.sortKey(), e) == null ? Outcome.STORED : Outcome.DUPLICATE);
            }
        }
        return outcomes;
    }
}
