package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.splitline.ingest.RawEventStore.Outcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RawEventStore} guarantees, run against the in-memory twin ({@code InMemoryRawEventStoreTest})
 * and DynamoDB Local ({@code DynamoDbRawEventStoreContractTest}): an event is stored once per unit, key and event id.
 */
public abstract class RawEventStoreContract {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    /** An empty store, new for every test. */
    protected abstract RawEventStore store();

    private static RawEvent metric(String eventId, String key, String unitId, String value) {
        return new RawEvent(new IngestEvent(0, eventId, key, unitId, EventType.METRIC, "revenue", new BigDecimal(value), T0,
                key == null, Map.of()), Map.of());
    }

    private static RawEvent exposure(String eventId, String key, String unitId) {
        return new RawEvent(new IngestEvent(0, eventId, key, unitId, EventType.EXPOSURE, null, null, T0, false, Map.of()),
                Map.of("country", "DE"));
    }

    @Test
    void newEvents_areStored_oneOutcomePerEventInOrder() {
        List<Outcome> outcomes = store().putNew(List.of(exposure("x1", "exp-a", "u1"), metric("m1", "exp-a", "u1", "4.5"),
                metric("m2", null, "u1", "2")));

        assertEquals(List.of(Outcome.STORED, Outcome.STORED, Outcome.STORED), outcomes);
    }

    @Test
    void aResentEvent_isADuplicate_evenWithOtherContent_andTheOthersOfItsBatchAreStored() {
        RawEventStore store = store();
        store.putNew(List.of(metric("m1", "exp-a", "u1", "4.5")));

        List<Outcome> outcomes = store.putNew(List.of(metric("m2", "exp-a", "u1", "1"), metric("m1", "exp-a", "u1", "99"),
                metric("m3", "exp-a", "u1", "1")));

        assertEquals(List.of(Outcome.STORED, Outcome.DUPLICATE, Outcome.STORED), outcomes);
        assertEquals(List.of(Outcome.DUPLICATE, Outcome.DUPLICATE), store.putNew(List.of(metric("m2", "exp-a", "u1", "1"),
                metric("m3", "exp-a", "u1", "1"))));
    }

    @Test
    void theSameEventId_ofAnotherUnit_key_orKeyless_isAnotherEvent() {
        RawEventStore store = store();
        store.putNew(List.of(metric("e1", "exp-a", "u1", "1")));

        List<Outcome> outcomes = store.putNew(List.of(metric("e1", "exp-a", "u2", "1"), metric("e1", "exp-b", "u1", "1"),
                metric("e1", null, "u1", "1")));

        assertEquals(List.of(Outcome.STORED, Outcome.STORED, Outcome.STORED), outcomes);
        assertEquals(List.of(Outcome.DUPLICATE), store.putNew(List.of(metric("e1", null, "u1", "1"))));
    }

    @Test
    void oneEventTwiceInOneBatch_isStoredOnce() {
        // The DynamoDB store puts a batch's events in parallel, so which of the two wins is not fixed: one does.
        List<Outcome> outcomes = store().putNew(List.of(metric("m1", "exp-a", "u1", "1"), metric("m1", "exp-a", "u1", "1")));

        assertEquals(1, outcomes.stream().filter(o -> o == Outcome.STORED).count(), outcomes.toString());
        assertEquals(1, outcomes.stream().filter(o -> o == Outcome.DUPLICATE).count(), outcomes.toString());
    }
}
