package io.splitline.functions.assignment;

import static io.splitline.functions.assignment.AssignmentHandlerTest.CHECKOUT;
import static io.splitline.functions.assignment.AssignmentHandlerTest.createRunning;
import static io.splitline.functions.assignment.AssignmentHandlerTest.handler;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.devkit.SampleEvents;
import io.splitline.http.HandlerCalls;
import io.splitline.json.Json;
import io.splitline.store.TableNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /sdk/payload} through the real handler, from the sample event, against DynamoDB Local. */
@ExtendWith(DynamoDbLocalExtension.class)
class SdkPayloadHandlerTest {

    static APIGatewayProxyRequestEvent sample() {
        return HandlerCalls.sample("sdk-payload.json");
    }

    @Test
    void sampleEvent_servesThePayloadWithCachingHeaders_and304ForItsETag(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        createRunning(local.client(), tables, CHECKOUT);
        AssignmentHandler handler = handler(local.client(), tables);

        APIGatewayProxyResponseEvent first = handler.handleRequest(sample(), null);

        assertEquals(200, first.getStatusCode(), first.getBody());
        assertEquals("private, max-age=60", first.getHeaders().get("Cache-Control"));
        String etag = first.getHeaders().get("ETag");
        assertTrue(etag.matches("\"[0-9a-f]{32}\""), etag);
        JsonNode feature = Json.parseTrusted(first.getBody()).get("features").get("checkout-button");
        JsonNode rules = feature.get("rules");
        assertEquals("override:green", rules.get(0).get("id").asText());
        assertEquals("qa-user-1", rules.get(0).get("condition").get("id").get("$in").get(0).asText());
        JsonNode experiment = rules.get(1);
        assertEquals("checkout-button", experiment.get("seed").asText());
        assertEquals(2, experiment.get("hashVersion").asInt());
        assertEquals("green", experiment.get("meta").get(1).get("key").asText());
        assertEquals("green", experiment.get("variations").get(1).get("color").asText());
        assertEquals(Json.parseTrusted("{\"country\": {\"$in\": [\"DE\", \"FR\"]}}"), experiment.get("condition"));

        APIGatewayProxyRequestEvent again = sample();
        Map<String, String> headers = new HashMap<>(again.getHeaders());
        headers.put("If-None-Match", etag);
        APIGatewayProxyResponseEvent notModified = handler.handleRequest(again.withHeaders(headers), null);
        assertEquals(304, notModified.getStatusCode());
        assertNull(notModified.getBody());
        assertEquals(etag, notModified.getHeaders().get("ETag"));
    }

    @Test
    void lambdasStreamEntryPoint_carriesTheHeaders_andA304WithoutBody(LocalTables local) throws IOException {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        createRunning(local.client(), tables, CHECKOUT);
        AssignmentHandler handler = handler(local.client(), tables);
        String event = Files.readString(SampleEvents.path("sdk-payload.json"),
                StandardCharsets.UTF_8);

        JsonNode ok = PrimingTest.stream(handler, event);
        String etag = ok.get("headers").get("ETag").asText();
        // The sample's If-None-Match names a stale tag; the same event with the current one is answered 304.
        JsonNode notModified = PrimingTest.stream(handler, event.replace("0".repeat(32), etag.replace("\"", "")));

        assertEquals(200, ok.get("statusCode").asInt());
        assertTrue(Json.parseTrusted(ok.get("body").asText()).get("features").has("checkout-button"));
        assertEquals(304, notModified.get("statusCode").asInt());
        assertFalse(notModified.has("body"));
        assertEquals(etag, notModified.get("headers").get("ETag").asText());
    }

    @Test
    void changedDefinitions_changeTheETag(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        String before = handler(local.client(), tables).handleRequest(sample(), null).getHeaders().get("ETag");
        createRunning(local.client(), tables, CHECKOUT);

        APIGatewayProxyResponseEvent after = handler(local.client(), tables).handleRequest(sample(), null);

        assertEquals(200, after.getStatusCode());
        assertNotEquals(before, after.getHeaders().get("ETag"));
    }
}
