package io.splitline.functions.assignment;

import static io.splitline.http.HandlerCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.assignment.Bucketing;
import io.splitline.devkit.DynamoDbLocal;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.devkit.RequestCounter;
import io.splitline.definitions.DefinitionCache;
import io.splitline.definitions.DefinitionTargets;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.LifecycleAction;
import io.splitline.http.HandlerCalls;
import io.splitline.ingest.DynamoDbStreamDrain;
import io.splitline.ingest.IngestTarget;
import io.splitline.json.Json;
import io.splitline.rollout.RolloutAction;
import io.splitline.rollout.RolloutJson;
import io.splitline.rollout.RolloutService;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import io.splitline.wiring.Wiring;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@ExtendWith(DynamoDbLocalExtension.class)
class AssignmentHandlerTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);

    static final String CHECKOUT = """
            {"key": "checkout-button",
             "variants": [{"key": "control", "weight": 0.5, "config": {"color": "blue"}},
                          {"key": "green", "weight": 0.5, "config": {"color": "green"}}],
             "targeting": {"attribute": "country", "op": "in", "values": ["DE", "FR"]},
             "overrides": {"qa-user-1": "green"},
             "metrics": [{"key": "purchase", "type": "conversion", "role": "primary"}]}""";

    static void createRunning(DynamoDbClient client, TableNames tables, String definition) {
        ExperimentService experiments = new ExperimentService(new DynamoDbDefinitionStore(client, tables.definitions()), CLOCK);
        var spec = ExperimentJson.parseSpec(Json.parseTrusted(definition));
        experiments.create(spec, "test");
        experiments.transition(spec.key(), LifecycleAction.START, "test");
    }

    static AssignmentHandler handler(DynamoDbClient client, TableNames tables) {
        return new AssignmentHandler(Wiring.of(client, tables, CLOCK, d -> { }, Map.of("DEFINITION_CACHE_SECONDS", "60")));
    }

    /** Folds the tracked exposures stored so far, as the aggregate function does from the events table's stream. */
    static void drain(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        DynamoDbStreamDrain.of(local.client(), DynamoDbLocal.streamsClient(local.endpoint()), tables,
                new DefinitionTargets(new DefinitionCache(new DynamoDbDefinitionStore(local.client(), tables.definitions()),
                        Duration.ZERO, CLOCK)), d -> { }, CLOCK).drain();
    }

    static APIGatewayProxyRequestEvent assign(String body) {
        APIGatewayProxyRequestEvent event = HandlerCalls.sample("assign.json");
        return event.withBody(body);
    }

    @Test
    void sampleEvent_answersForEveryKeyItNames(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        createRunning(local.client(), tables, CHECKOUT);
        APIGatewayProxyRequestEvent event = HandlerCalls.sample("assign.json");

        JsonNode body = call(handler(local.client(), tables), event, 200);

        assertEquals("user-42", body.get("unitId").asText());
        JsonNode checkout = body.get("assignments").get("checkout-button");
        assertTrue(checkout.get("inExperiment").asBoolean());
        assertEquals("hashed", checkout.get("reason").asText());
        assertEquals(checkout.get("variant").asText().equals("green") ? "green" : "blue",
                checkout.get("config").get("color").asText());
        assertEquals("unknown_key", body.get("assignments").get("new-ranker").get("reason").asText());
    }

    @Test
    void warmCall_readsNothingFromDynamoDb(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        createRunning(local.client(), tables, CHECKOUT);
        RequestCounter counter = new RequestCounter();
        AssignmentHandler handler = handler(DynamoDbLocal.client(local.endpoint(), counter), tables);
        String body = "{\"unitId\": \"user-7\", \"attributes\": {\"country\": \"DE\"}, \"track\": false}";

        call(handler, assign(body), 200);
        long coldRequests = counter.total();
        call(handler, assign(body), 200);

        assertEquals(Map.of("Query", 3L), counter.byOperation(), "the first call lists experiments, rollouts and holdouts once each");
        assertEquals(coldRequests, counter.total(), "the warm call made no request: " + counter.byOperation());
    }

    @Test
    void illFormedUnicode_isA400NamingTheField_andRecordsNothing(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        createRunning(local.client(), tables, CHECKOUT);
        AssignmentHandler handler = handler(local.client(), tables);

        // Stored as UTF-8 these three unit ids were one unit item (each surrogate became '?').
        for (String unitId : new String[] {"u-\\ud800", "u-\\udc00", "u-\\udfff"}) {
            JsonNode error = call(handler, assign("{\"unitId\": \"" + unitId + "\", \"attributes\": {\"country\": \"DE\"}}"), 400);
            assertEquals("unitId", error.get("field").textValue(), error.toString());
        }
        JsonNode value = call(handler, assign("{\"unitId\": \"u-1\", \"attributes\": {\"country\": \"D\\udc00\"}}"), 400);
        JsonNode name = call(handler, assign("{\"unitId\": \"u-1\", \"attributes\": {\"c\\ud800\": \"DE\"}}"), 400);

        assertEquals("attributes.country", value.get("field").textValue());
        assertEquals("attributes", name.get("field").textValue());
        assertTrue(new DynamoDbAggregateReader(local.client(), tables.aggregates()).read("checkout-button", IngestTarget.EXPERIMENT_SCOPE).isEmpty());
    }

    @Test
    void trackedUnit_isExposedOnce_andRepeatCallsWriteNothing(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        createRunning(local.client(), tables, CHECKOUT);
        RequestCounter counter = new RequestCounter();
        AssignmentHandler handler = handler(DynamoDbLocal.client(local.endpoint(), counter), tables);
        String body = "{\"unitId\": \"user-9\", \"attributes\": {\"country\": \"FR\"}, \"keys\": [\"checkout-button\"]}";

        String variant = call(handler, assign(body), 200).get("assignments").get("checkout-button").get("variant").asText();
        long afterFirst = counter.total();
        call(handler, assign(body), 200);
        // A second container (cold memory) records nothing new either: the condition holds it.
        call(handler(local.client(), tables), assign(body), 200);
        drain(local);

        assertEquals(1, counter.count("PutItem"), "one raw exposure put");
        assertEquals(afterFirst, counter.total(), "the repeat call in the same container wrote nothing");
        var units = new DynamoDbAggregateReader(local.client(), tables.aggregates()).read("checkout-button", IngestTarget.EXPERIMENT_SCOPE);
        assertEquals(1, units.get(variant).units());
        assertEquals(1, units.values().stream().mapToLong(v -> v.units()).sum());
    }

    @Test
    void untargetedUnit_getsControlWithoutConfig_andIsNotTracked(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        createRunning(local.client(), tables, CHECKOUT);

        JsonNode a = call(handler(local.client(), tables),
                assign("{\"unitId\": \"user-1\", \"attributes\": {\"country\": \"US\"}, \"keys\": [\"checkout-button\"]}"), 200)
                .get("assignments").get("checkout-button");

        assertEquals("control", a.get("variant").asText());
        assertFalse(a.get("inExperiment").asBoolean());
        assertEquals("not_targeted", a.get("reason").asText());
        assertFalse(a.has("config"));
        assertTrue(new DynamoDbAggregateReader(local.client(), tables.aggregates()).read("checkout-button", IngestTarget.EXPERIMENT_SCOPE).isEmpty());
    }

    @Test
    void experimentStartedAfterTheCacheWasFilled_isServedAtOnce(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        AssignmentHandler handler = handler(local.client(), tables);
        String body = "{\"unitId\": \"qa-user-1\", \"keys\": [\"checkout-button\"], \"track\": false}";
        assertEquals("unknown_key", call(handler, assign(body), 200).get("assignments").get("checkout-button").get("reason").asText());

        createRunning(local.client(), tables, CHECKOUT);
        Clock later = Clock.offset(CLOCK, java.time.Duration.ofSeconds(2));
        AssignmentHandler sameContainerLater = new AssignmentHandler(Wiring.of(local.client(), tables, later, d -> { },
                Map.of("DEFINITION_CACHE_SECONDS", "60")));

        JsonNode a = call(sameContainerLater, assign(body), 200).get("assignments").get("checkout-button");
        assertEquals("override", a.get("reason").asText());
        assertEquals("green", a.get("variant").asText());
    }

    @Test
    void experimentCreatedAndStartedRightAfterAWarmCall_isServedByTheSameWarmContainer(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        AssignmentHandler handler = handler(local.client(), tables);
        call(handler, assign("{\"unitId\": \"user-1\", \"keys\": [], \"track\": false}"), 200); // the cache is filled now

        createRunning(local.client(), tables, CHECKOUT);
        JsonNode a = call(handler, assign("{\"unitId\": \"user-5\", \"attributes\": {\"country\": \"DE\"}, "
                + "\"keys\": [\"checkout-button\"]}"), 200).get("assignments").get("checkout-button");

        assertEquals("hashed", a.get("reason").asText(), "served at the same instant, not unknown_key");
        drain(local);
        var units = new DynamoDbAggregateReader(local.client(), tables.aggregates()).read("checkout-button", IngestTarget.EXPERIMENT_SCOPE);
        assertEquals(1, units.get(a.get("variant").asText()).units(), "the exposure was recorded");
    }

    @Test
    void draftStartedRightAfterAWarmCall_isServedRunning_onceTheKeysConfirmIntervalHasPassed(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        ExperimentService experiments = new ExperimentService(new DynamoDbDefinitionStore(local.client(), tables.definitions()), CLOCK);
        experiments.create(ExperimentJson.parseSpec(Json.parseTrusted(CHECKOUT)), "test");
        java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(CLOCK.instant());
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        AssignmentHandler handler = new AssignmentHandler(Wiring.of(local.client(), tables, clock, d -> { },
                Map.of("DEFINITION_CACHE_SECONDS", "60")));
        String body = "{\"unitId\": \"user-5\", \"attributes\": {\"country\": \"DE\"}, \"keys\": [\"checkout-button\"], \"track\": false}";
        assertEquals("not_running", call(handler, assign(body), 200).get("assignments").get("checkout-button").get("reason").asText());

        experiments.transition("checkout-button", LifecycleAction.START, "test");
        now.set(now.get().plus(io.splitline.definitions.DefinitionCache.CONFIRM_INTERVAL));

        assertEquals("hashed", call(handler, assign(body), 200).get("assignments").get("checkout-button").get("reason").asText(),
                "one confirm interval after the start, not one cache TTL (60 s)");
    }

    @Test
    void aFloodOfUnknownKeys_makesABoundedNumberOfReads_andKnownKeysStayFree(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        createRunning(local.client(), tables, CHECKOUT);
        RequestCounter counter = new RequestCounter();
        AssignmentHandler handler = handler(DynamoDbLocal.client(local.endpoint(), counter), tables);
        String known = "{\"unitId\": \"user-7\", \"attributes\": {\"country\": \"DE\"}, \"keys\": [\"checkout-button\"], \"track\": false}";
        call(handler, assign(known), 200);
        long warm = counter.total();

        java.util.Random random = new java.util.Random(7);
        for (int request = 0; request < 5; request++) {
            StringBuilder keys = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                keys.append(i == 0 ? "" : ", ").append("\"ghost-").append(Long.toHexString(random.nextLong())).append("\"");
            }
            JsonNode answers = call(handler, assign("{\"unitId\": \"user-7\", \"keys\": [" + keys + "], \"track\": false}"), 200)
                    .get("assignments");
            answers.forEach(a -> assertEquals("unknown_key", a.get("reason").asText()));
        }
        long floodReads = counter.total() - warm;
        call(handler, assign(known), 200);

        // Each confirmation reads the key as an experiment, a rollout and a holdout: 3 GetItems.
        assertEquals(3L * io.splitline.definitions.DefinitionCache.MAX_CONFIRMED_KEYS, floodReads,
                "500 unknown keys within one interval: " + counter.byOperation());
        assertEquals(3L * io.splitline.definitions.DefinitionCache.MAX_CONFIRMED_KEYS, counter.count("GetItem"));
        assertEquals(warm + floodReads, counter.total(), "the running key is still served without a request");
    }

    @Test
    void noKeys_answersEveryRunningExperiment(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        createRunning(local.client(), tables, CHECKOUT);
        createRunning(local.client(), tables, CHECKOUT.replace("checkout-button", "pricing-page"));

        JsonNode assignments = call(handler(local.client(), tables),
                assign("{\"unitId\": \"user-3\", \"attributes\": {\"country\": \"DE\"}, \"track\": false}"), 200).get("assignments");

        assertEquals(2, assignments.size());
        assertNotNull(assignments.get("checkout-button"));
        assertNotNull(assignments.get("pricing-page"));
    }

    @Test
    void rollout_answersTreatmentForTheCurrentPercent_andTracksBothArmsInTheStage(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        RolloutService rollouts = new RolloutService(new DynamoDbDefinitionStore(local.client(), tables.definitions()), CLOCK);
        rollouts.create(RolloutJson.parseSpec(Json.parseTrusted("""
                {"key": "new-ranker", "stages": [{"percent": 20, "bake": "PT1H"}, {"percent": 100, "bake": "PT0S"}]}""")), "test");
        AssignmentHandler handler = handler(local.client(), tables);
        String before = call(handler, assign("{\"unitId\": \"u0\", \"keys\": [\"new-ranker\"]}"), 200)
                .get("assignments").get("new-ranker").toString();
        rollouts.act("new-ranker", RolloutAction.START, "test");
        AssignmentHandler started = handler(local.client(), tables);

        int treatment = 0;
        for (int u = 0; u < 500; u++) {
            JsonNode a = call(started, assign("{\"unitId\": \"u" + u + "\", \"keys\": [\"new-ranker\"]}"), 200)
                    .get("assignments").get("new-ranker");
            assertTrue(a.get("inExperiment").asBoolean());
            assertEquals(Bucketing.inRollout("new-ranker", "u" + u, 20) ? "treatment" : "control", a.get("variant").asText());
            treatment += a.get("variant").asText().equals("treatment") ? 1 : 0;
        }

        assertEquals("{\"variant\":\"control\",\"inExperiment\":false,\"reason\":\"not_running\"}", before);
        assertTrue(treatment > 60 && treatment < 140, "about 20 % of 500 in treatment: " + treatment);
        drain(local);
        var stage0 = new DynamoDbAggregateReader(local.client(), tables.aggregates()).read("new-ranker", IngestTarget.stageScope(0));
        assertEquals(treatment, stage0.get("treatment").units());
        assertEquals(500 - treatment, stage0.get("control").units());
    }

    @Test
    void badRequests_getTheDocumentedErrorBody(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        AssignmentHandler handler = handler(local.client(), tables);

        JsonNode malformed = call(handler, assign("{\"unitId\": "), 400);
        JsonNode missingUnit = call(handler, assign("{\"keys\": []}"), 400);
        JsonNode tooLarge = call(handler, assign("{\"unitId\": \"" + "x".repeat(1024 * 1024) + "\"}"), 413);

        assertEquals("invalid_request", malformed.get("error").asText());
        assertEquals("unitId", missingUnit.get("field").asText());
        assertEquals("payload_too_large", tooLarge.get("error").asText());
    }
}
