package io.splitline.functions.assignment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.devkit.DynamoDbLocal;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.devkit.RequestCounter;
import io.splitline.devkit.SampleEvents;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.LifecycleAction;
import io.splitline.ingest.ExposurePutPriming;
import io.splitline.json.Json;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import io.splitline.wiring.SnapStart;
import io.splitline.wiring.Wiring;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@ExtendWith(DynamoDbLocalExtension.class)
class PrimingTest {

    static Wiring wiring(LocalTables local, RequestCounter counter) {
        return Wiring.of(DynamoDbLocal.client(local.endpoint(), counter), TableNames.fromLogicalIds(local.names()),
                AssignmentHandlerTest.CLOCK, d -> { }, Map.of("DEFINITION_CACHE_SECONDS", "60"));
    }

    static JsonNode stream(AssignmentHandler handler, String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.parseTrusted(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void primingEvent_isAnUntrackedAssignmentOfEveryRunningExperiment(LocalTables local) throws IOException {
        AssignmentHandlerTest.createRunning(local.client(), TableNames.fromLogicalIds(local.names()), AssignmentHandlerTest.CHECKOUT);
        RequestCounter counter = new RequestCounter();

        JsonNode response = stream(new AssignmentHandler(wiring(local, counter)), AssignmentHandler.PRIMING_EVENT);

        assertEquals(200, response.get("statusCode").asInt(), response.toString());
        JsonNode body = Json.parseTrusted(response.get("body").asText());
        assertEquals("hashed", body.get("assignments").get("checkout-button").get("reason").asText());
        assertEquals(0, counter.count("PutItem"), "priming records no exposure: " + counter.byOperation());
    }

    @Test
    void primedHandler_writesNothing_andStillLoadsFreshDefinitionsOnItsFirstRequest(LocalTables local) throws IOException {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        AssignmentHandlerTest.createRunning(local.client(), tables, AssignmentHandlerTest.CHECKOUT);
        RequestCounter counter = new RequestCounter();

        AssignmentHandler primed = new AssignmentHandler(wiring(local, counter), true);
        long afterPriming = counter.total();
        int eventsAfterPriming = local.client().scan(b -> b.tableName(tables.events())).count();
        String sample = Files.readString(SampleEvents.path("assign.json"), StandardCharsets.UTF_8);
        JsonNode first = stream(primed, sample);

        assertEquals(4L * SnapStart.ROUNDS, afterPriming, "each round listed experiments, rollouts and holdouts once"
                + " each, and sent the refused put: " + counter.byOperation());
        assertEquals(0, eventsAfterPriming, "priming wrote no event");
        assertEquals(SnapStart.ROUNDS + 1, counter.count("PutItem"), "the refused priming puts and the real, tracked"
                + " request's: " + counter.byOperation());
        assertEquals(200, first.get("statusCode").asInt());
        assertTrue(counter.total() >= afterPriming + 4, "the first real request loaded definitions itself: " + counter.byOperation());
    }

    @Test
    void primedHandler_answersFromADefinitionChangedAfterPriming(LocalTables local) throws IOException {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        AssignmentHandlerTest.createRunning(local.client(), tables, AssignmentHandlerTest.CHECKOUT);
        AssignmentHandler primed = new AssignmentHandler(wiring(local, new RequestCounter()), true);

        // Between the snapshot and a restore: priming's rounds all saw it running.
        new ExperimentService(new DynamoDbDefinitionStore(local.client(), tables.definitions()), AssignmentHandlerTest.CLOCK)
                .transition("checkout-button", LifecycleAction.PAUSE, "test");
        JsonNode first = stream(primed, Files.readString(SampleEvents.path("assign.json"), StandardCharsets.UTF_8));

        JsonNode body = Json.parseTrusted(first.get("body").asText());
        assertEquals("not_running", body.get("assignments").get("checkout-button").get("reason").asText(), body.toString());
    }

    @Test
    void primingPut_isRefused_andWritesNothing(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        DynamoDbClient dynamo = local.client();

        assertTrue(ExposurePutPriming.prime(dynamo, tables), "DynamoDB refuses the priming put");
        assertTrue(ExposurePutPriming.prime(dynamo, tables), "and again: it wrote nothing a second one could meet");

        assertEquals(0, dynamo.scan(b -> b.tableName(tables.events())).count(), "no event written");
    }

    @Test
    void sampleEvent_throughTheStreamEntry_answersAsTheTypedEntry(LocalTables local) throws IOException {
        AssignmentHandlerTest.createRunning(local.client(), TableNames.fromLogicalIds(local.names()), AssignmentHandlerTest.CHECKOUT);
        Path sample = SampleEvents.path("assign.json");
        APIGatewayProxyRequestEvent typed = EventLoader.loadApiGatewayRestEvent(sample.toString());

        JsonNode viaTyped = Json.parseTrusted(new AssignmentHandler(wiring(local, new RequestCounter())).handleRequest(typed, null).getBody());
        JsonNode viaStream = stream(new AssignmentHandler(wiring(local, new RequestCounter())), Files.readString(sample, StandardCharsets.UTF_8));

        assertEquals(200, viaStream.get("statusCode").asInt());
        assertEquals(viaTyped, Json.parseTrusted(viaStream.get("body").asText()));
    }
}
