package io.splitline.ingest;

import static io.splitline.http.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.http.ApiException;
import io.splitline.http.ErrorCode;
import io.splitline.json.Json;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad event is rejected with its code and field, and leaves every table (of the in-memory twins, stream folded) as it was. */
class BadEventTest {

    static ObjectNode valid() {
        ObjectNode e = Json.object();
        e.put("eventId", "e-1");
        e.put("key", "checkout");
        e.put("unitId", "user-1");
        e.put("type", "metric");
        e.put("metric", "purchase");
        e.put("value", 1);
        e.put("timestamp", "2026-11-24T10:00:00Z");
        return e;
    }

    static Arguments bad(String name, String error, String field, Consumer<ObjectNode> change) {
        return Arguments.of(name, error, field, change);
    }

    static Stream<Arguments> badEvents() {
        return Stream.of(
                bad("missing eventId", "invalid_request", "events[1].eventId", e -> e.remove("eventId")),
                bad("empty eventId", "invalid_request", "events[1].eventId", e -> e.put("eventId", "")),
                bad("oversize eventId", "invalid_request", "events[1].eventId", e -> e.put("eventId", "x".repeat(129))),
                bad("control character in eventId", "invalid_request", "events[1].eventId", e -> e.put("eventId", "a\nb")),
                bad("numeric eventId", "invalid_request", "events[1].eventId", e -> e.put("eventId", 17)),
                bad("exposure without key", "invalid_request", "events[1].key", e -> {
                    e.remove("key");
                    e.put("type", "exposure");
                    e.remove("metric");
                    e.remove("value");
                }),
                bad("covariates on a metric event", "invalid_request", "events[1].covariates",
                        e -> e.putObject("covariates").put("purchase", 1)),
                bad("malformed key", "invalid_request", "events[1].key", e -> e.put("key", "Checkout Button")),
                bad("unknown key", "not_found", "events[1].key", e -> e.put("key", "no-such-experiment")),
                bad("missing unitId", "invalid_request", "events[1].unitId", e -> e.remove("unitId")),
                bad("oversize unitId", "invalid_request", "events[1].unitId", e -> e.put("unitId", "u".repeat(257))),
                bad("unitId of wrong type", "invalid_request", "events[1].unitId", e -> e.put("unitId", true)),
                bad("unknown type", "invalid_request", "events[1].type", e -> e.put("type", "click")),
                bad("metric event without metric", "invalid_request", "events[1].metric", e -> e.remove("metric")),
                bad("malformed metric key", "invalid_request", "events[1].metric", e -> e.put("metric", "Revenue $")),
                bad("value as string", "invalid_request", "events[1].value", e -> e.put("value", "1")),
                bad("value too large to be finite", "invalid_request", "events[1].value",
                        e -> e.set("value", Json.parseTrusted("1e999"))),
                bad("value above 1e9", "invalid_request", "events[1].value", e -> e.put("value", 2e9)),
                bad("missing timestamp", "invalid_request", "events[1].timestamp", e -> e.remove("timestamp")),
                bad("malformed timestamp", "invalid_request", "events[1].timestamp", e -> e.put("timestamp", "yesterday")),
                bad("timestamp more than 24 h ahead", "invalid_request", "events[1].timestamp",
                        e -> e.put("timestamp", "2026-11-26T12:00:01Z")),
                bad("unknown field", "invalid_request", "events[1].variant", e -> e.put("variant", "green")),
                bad("exposure with a value", "invalid_request", "events[1].value", e -> {
                    e.put("type", "exposure");
                    e.remove("metric");
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEvents")
    void badEvent_isRejectedWithItsCodeAndField_andChangesNothing(String name, String error, String field,
                                                                  Consumer<ObjectNode> change) {
        IngestTarget checkout = new IngestTarget("checkout", IngestTarget.EXPERIMENT_SCOPE, true,
                unit -> Optional.of("control"), Set.of());
        FoldedIngest service = new FoldedIngest(key -> key.equals("checkout") ? Optional.of(checkout) : Optional.empty(),
                d -> { }, Clock.fixed(SimulatedTraffic.NOW, ZoneOffset.UTC));
        // Given a unit that is exposed and has one event already
        ObjectNode exposure = Json.object();
        exposure.put("eventId", "x-1");
        exposure.put("key", "checkout");
        exposure.put("unitId", "user-1");
        exposure.put("type", "exposure");
        exposure.put("timestamp", "2026-11-24T09:00:00Z");
        ObjectNode seed = Json.object();
        seed.putArray("events").add(exposure).add(valid());
        assertEquals(2, service.ingest(EventBatch.parse(seed, SimulatedTraffic.NOW)).accepted());
        var before = service.contents();

        // When a batch holds one good duplicate and one bad event
        ObjectNode badEvent = valid();
        badEvent.put("eventId", "e-2");
        change.accept(badEvent);
        ObjectNode body = Json.object();
        body.putArray("events").add(valid()).add(badEvent);
        IngestResult result = service.ingest(EventBatch.parse(body, SimulatedTraffic.NOW));

        // Then the bad one is rejected with its code and field, and nothing changed
        assertEquals(1, result.rejected().size(), name);
        Rejection rejection = result.rejected().get(0);
        assertEquals(1, rejection.index());
        assertEquals(error, rejection.error(), name + ": " + rejection.message());
        assertEquals(field, rejection.field(), name + ": " + rejection.message());
        assertEquals(1, result.duplicates(), name + ": " + result);
        assertEquals(0, result.accepted());
        assertEquals(before, service.contents(), name + " changed a table");
    }

    @org.junit.jupiter.api.Test
    void moreThan500Events_isPayloadTooLarge() {
        ObjectNode body = Json.object();
        var events = body.putArray("events");
        for (int i = 0; i < 501; i++) {
            events.add(valid());
        }
        ApiException e = refused(() -> EventBatch.parse(body, SimulatedTraffic.NOW));
        assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, e.code());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEnvelopes")
    void badEnvelope_isInvalidRequest(String name, String json, String field) {
        JsonNode body = Json.parseTrusted(json);
        ApiException e = refused(() -> EventBatch.parse(body, SimulatedTraffic.NOW));
        assertEquals(ErrorCode.INVALID_REQUEST, e.code(), name);
        assertEquals(field, e.field(), name);
    }

    static Stream<Arguments> badEnvelopes() {
        return Stream.of(
                Arguments.of("array instead of object", "[]", null),
                Arguments.of("no events", "{}", "events"),
                Arguments.of("events not an array", "{\"events\": {}}", "events"),
                Arguments.of("unknown top-level field", "{\"events\": [], \"batch\": 1}", "batch"));
    }
}
