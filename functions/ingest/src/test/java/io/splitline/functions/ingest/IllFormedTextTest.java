package io.splitline.functions.ingest;

import static io.splitline.functions.ingest.IngestHandlerTest.sample;
import static io.splitline.http.HandlerCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.http.HandlerCalls;
import io.splitline.ingest.IngestTarget;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ids that are not well-formed Unicode are rejected per event, naming the field, instead of being
 * stored as UTF-8 with {@code ?} in place of the surrogate: that made different event ids collide as
 * duplicates and different unit ids share one unit item.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class IllFormedTextTest {

    /** One event as JSON text; ids carry JSON escapes (\\u...) exactly as a client sends them. */
    private static String event(String eventId, String unitId, String type) {
        return "{\"eventId\": \"" + eventId + "\", \"key\": \"checkout-button\", \"unitId\": \"" + unitId
                + "\", \"type\": \"" + type + "\", " + (type.equals("metric") ? "\"metric\": \"purchase\", " : "")
                + "\"timestamp\": \"2026-11-24T10:00:00Z\"}";
    }

    private static String batch(String... events) {
        return "{\"events\": [" + String.join(", ", events) + "]}";
    }

    private static List<String> rejectedFields(JsonNode result) {
        List<String> fields = new ArrayList<>();
        result.get("rejected").forEach(r -> fields.add(r.get("field").textValue()));
        return fields;
    }

    @Test
    void twoEventIdsDifferingInAnUnpairedSurrogate_areRejected_notCountedAsDuplicates(LocalTables local) {
        IngestHandler handler = new IngestHandlerTest().handler(local);

        JsonNode result = call(handler, sample().withBody(batch(
                event("exp-1", "user-1", "exposure"),
                event("evt-\\ud800", "user-1", "metric"),
                event("evt-\\udbff", "user-1", "metric"))), 200);

        assertEquals(1, result.get("accepted").asInt(), result.toString());
        assertEquals(0, result.get("duplicates").asInt(), result.toString());
        assertEquals(List.of("events[1].eventId", "events[2].eventId"), rejectedFields(result));
        assertEquals("invalid_request", result.get("rejected").get(0).get("error").textValue());
    }

    @Test
    void threeUnitIdsDifferingInAnUnpairedSurrogate_areRejected_noneSharesAUnit(LocalTables local) {
        IngestHandlerTest setUp = new IngestHandlerTest();
        IngestHandler handler = setUp.handler(local);

        JsonNode result = call(handler, sample().withBody(batch(
                event("a", "u-\\ud800", "exposure"),
                event("b", "u-\\udc00", "exposure"),
                event("c", "u-\\udfff", "exposure"),
                event("d", "u-\\ud83d\\ude00", "exposure"))), 200);

        assertEquals(1, result.get("accepted").asInt(), "the well-formed pair is a unit id like any other");
        assertEquals(List.of("events[0].unitId", "events[1].unitId", "events[2].unitId"), rejectedFields(result));
        setUp.drain(local); // the stream fold counts the stored exposure
        long units = new DynamoDbAggregateReader(local.client(), local.name("AggregatesTable"))
                .read("checkout-button", IngestTarget.EXPERIMENT_SCOPE).values().stream().mapToLong(VariantAggregates::units).sum();
        assertEquals(1, units);
    }

    @Test
    void anEnvelopeThatIsNotUtf8_isA400(LocalTables local) {
        IngestHandler handler = new IngestHandlerTest().handler(local);
        String text = batch(event("e-1", "user-1", "exposure"));
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        body[text.indexOf("user-1") + 5] = (byte) 0xC3; // a truncated two-byte sequence inside the unit id

        JsonNode error = call(handler, sample().withBody(Base64.getEncoder().encodeToString(body)).withIsBase64Encoded(true), 400);

        assertEquals("invalid_request", error.get("error").textValue());
    }
}
