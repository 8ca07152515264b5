package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The answer of {@code POST /events} on design B: what ingest still decides, and what it stores. */
class RawEventIngestTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    /** "running" runs and places every unit but "outsider"; "paused" does not run. */
    private static final IngestTargets TARGETS = new IngestTargets() {
        @Override
        public Optional<IngestTarget> find(String key) {
            return switch (key) {
                case "running", "paused" -> Optional.of(new IngestTarget(key, IngestTarget.EXPERIMENT_SCOPE, key.equals("running"),
                        unit -> unit.equals("outsider") ? Optional.empty() : Optional.of("control"), Set.of()));
                default -> Optional.empty();
            };
        }

        @Override
        public List<IngestTarget> active() {
            return List.of(find("running").orElseThrow());
        }
    };

    private static IngestResult send(RawEventIngest ingest, ObjectNode... events) {
        ObjectNode body = Json.object();
        body.putArray("events").addAll(List.of(events));
        return ingest.ingest(EventBatch.parse(body, NOW));
    }

    private static ObjectNode event(String id, String key, String unit, String type) {
        ObjectNode e = Json.object().put("eventId", id).put("unitId", unit).put("type", type).put("timestamp", NOW.toString());
        if (key != null) {
            e.put("key", key);
        }
        return type.equals("metric") ? e.put("metric", "purchase") : e;
    }

    @Test
    void eachOutcome_andOnlyWhatCanCountIsStored() {
        InMemoryRawEventStore store = new InMemoryRawEventStore();
        RawEventIngest ingest = new RawEventIngest(store, TARGETS);

        IngestResult first = send(ingest,
                event("a", "running", "u1", "exposure"),
                event("b", "running", "u2", "metric"),          // unit not exposed: stored, the fold decides
                event("b", "running", "u2", "metric"),          // the same event again in the batch
                event("c", "paused", "u1", "metric"),           // inactive key
                event("d", "running", "outsider", "exposure"),  // a unit outside every arm
                event("e", null, "u1", "metric"),               // keyless
                event("f", "nowhere", "u1", "metric"),          // unknown key
                event("g", "running", "u1", "unknown-type"));   // invalid
        IngestResult again = send(ingest, event("a", "running", "u1", "exposure"), event("e", null, "u1", "metric"),
                event("a", "running", "u3", "exposure"));       // the same key and id for another unit: another event

        assertEquals(3, first.accepted());
        assertEquals(1, first.duplicates());
        assertEquals(2, first.ignored());
        assertEquals(List.of("not_found", "invalid_request"), first.rejected().stream().map(Rejection::error).toList());
        assertEquals(new IngestResult(1, 2, 0, List.of()), again);
        assertEquals(Set.of("u1\u0000running#a", "u2\u0000running#b", "u1\u0000*#e", "u3\u0000running#a"), store.stored.keySet());
    }

    @Test
    void keylessEvents_whileNothingRuns_areIgnoredAndNotStored() {
        InMemoryRawEventStore store = new InMemoryRawEventStore();

        IngestResult result = send(new RawEventIngest(store, key -> Optional.empty()), event("e", null, "u1", "metric"));

        assertEquals(new IngestResult(0, 0, 1, List.of()), result);
        assertEquals(Set.of(), store.stored.keySet());
    }

    @Test
    void throttledPuts_are503_andTheResentBatchStoresTheRestOnce() {
        InMemoryRawEventStore store = new InMemoryRawEventStore();
        RawEventIngest ingest = new RawEventIngest(store, TARGETS);
        ObjectNode[] batch = {event("a", "running", "u1", "exposure"), event("b", "running", "u1", "metric"),
                event("c", "running", "u1", "metric")};
        store.throttle(e -> e.event().eventId().equals("c"));

        IngestContentionException busy = assertThrows(IngestContentionException.class, () -> send(ingest, batch));
        store.throttle(e -> false);
        IngestResult resent = send(ingest, batch);

        assertEquals(2, busy.recorded());
        assertEquals(IngestContentionException.RETRY_AFTER, busy.retryAfter());
        assertEquals(new IngestResult(1, 2, 0, List.of()), resent);
        assertEquals(3, store.stored.size());
    }
}
