package io.splitline.functions.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.http.BodyFuzz;
import io.splitline.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fixed-seed fuzz test ({@link BodyFuzz}) of POST /events: the sample body of {@code events/ingest-events.json},
 * mutated at random JSON paths, through the real handler on DynamoDB Local with the running experiment it
 * names. Whatever the body, the answer is a 2xx (a refused event is listed in it) or a 4xx with the documented
 * error body, never a 5xx.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class EventsBodyFuzzTest {
    private static final long SEED = 0x5EED_F022L ^ (6L << 32);

    @Test
    void events_neverAnswers5xx(LocalTables local) {
        IngestHandler handler = new IngestHandlerTest().handler(local);
        ObjectNode valid = (ObjectNode) Json.parse(IngestHandlerTest.sample().getBody());
        BodyFuzz.run(handler, "POST /events", SEED, 1000, i -> {
            ObjectNode body = valid.deepCopy();
            body.get("events").forEach(e -> ((ObjectNode) e).put("eventId", e.get("eventId").textValue() + "-" + i));
            return body;
        }, text -> IngestHandlerTest.sample().withBody(text), answer -> { });
    }
}
