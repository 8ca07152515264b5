package io.splitline.ingest;

import java.util.Map;

/**
 * One event as design B stores it: its raw item in the events table, written once and folded later by the
 * {@link StreamAggregator} from the table's stream.
 *
 * @param event      the validated event (a keyless one has a null key)
 * @param attributes an exposure's targeting attributes (from {@code /assign}), as text; empty otherwise
 */
public record RawEvent(IngestEvent event, Map<String, String> attributes) {
    public RawEvent {
        attributes = Map.copyOf(attributes);
    }

    /** The item's sort key within its unit's partition: {@code <key>#<eventId>}, {@code *#<eventId>} when keyless. */
    public String sortKey() {
        return (event.keyless() ? "*" : event.key()) + "#" + event.eventId();
    }
}
