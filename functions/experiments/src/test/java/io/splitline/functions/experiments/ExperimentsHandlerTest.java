package io.splitline.functions.experiments;

import static io.splitline.functions.experiments.Fixtures.ADA;
import static io.splitline.functions.experiments.Fixtures.KEY;
import static io.splitline.functions.experiments.Fixtures.event;
import static io.splitline.http.HandlerCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.experiment.ExperimentService;
import io.splitline.holdout.HoldoutService;
import io.splitline.http.HandlerCalls;
import io.splitline.json.Json;
import io.splitline.rollout.RolloutService;
import io.splitline.store.DefinitionStore;
import io.splitline.store.DynamoDbDefinitionStore;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DynamoDbLocalExtension.class)
class ExperimentsHandlerTest {

    private static HandlerCalls.Answer create(ExperimentsHandler handler, String body) {
        return call(handler, event("POST", "/experiments", null, null, body));
    }

    @Test
    void create_answers201WithTheStoredExperiment_andGetReadsItBack(LocalTables tables) {
        ExperimentsHandler handler = Fixtures.handler(tables);

        HandlerCalls.Answer created = create(handler, Fixtures.EXAMPLE);

        assertEquals(201, created.status());
        JsonNode body = created.body();
        assertEquals(KEY, body.get("key").textValue());
        assertEquals("draft", body.get("status").textValue());
        assertEquals(1, body.get("version").intValue());
        assertEquals("2026-11-24T10:00:00Z", body.get("createdAt").textValue());
        assertEquals("2026-11-24T10:00:00Z", body.get("updatedAt").textValue());
        assertTrue(body.get("startedAt").isNull());
        assertTrue(body.get("completedAt").isNull());
        assertEquals("green", body.get("overrides").get("qa-user-1").textValue());
        HandlerCalls.Answer got = call(handler, event("GET", "/experiments/{key}", KEY, null, null));
        assertEquals(200, got.status());
        assertEquals(body, got.body());
    }

    @Test
    void minimalCreate_answersWithTheDefaultsMadeExplicit(LocalTables tables) {
        HandlerCalls.Answer created = create(Fixtures.handler(tables),
                "{\"key\": \"tiny\", \"variants\": [{\"key\": \"off\", \"weight\": 0.5}, {\"key\": \"on\", \"weight\": 0.5}]}");

        assertEquals(201, created.status());
        assertEquals(Json.parse("""
                {"key": "tiny", "description": "", "variants": [{"key": "off", "weight": 0.5}, {"key": "on", "weight": 0.5}],
                 "control": "off", "coverage": 1.0, "overrides": {}, "metrics": [], "confidenceLevel": 0.95,
                 "minimumSampleSize": 100, "multipleTesting": "holm", "expectedUnitsPerVariant": 2500, "aggregateShards": 4, "status": "draft", "version": 1, "createdAt": "2026-11-24T10:00:00Z",
                 "updatedAt": "2026-11-24T10:00:00Z", "startedAt": null, "completedAt": null}"""), created.body());
    }

    @Test
    void list_isSortedByKey_andFiltersByStatus(LocalTables tables) {
        ExperimentsHandler handler = Fixtures.handler(tables);
        for (String key : List.of("zebra", "apple", "mango")) {
            create(handler, Fixtures.EXAMPLE.replace("\"checkout-button\"", "\"" + key + "\""));
        }
        call(handler, event("POST", "/experiments/{key}/start", "mango", null, null));

        HandlerCalls.Answer all = call(handler, event("GET", "/experiments", null, null, null));
        HandlerCalls.Answer running = call(handler, event("GET", "/experiments", null, Map.of("status", "running"), null));

        assertEquals(200, all.status());
        assertEquals(List.of("apple", "mango", "zebra"), keys(all.body()));
        assertEquals(List.of("mango"), keys(running.body()));
        assertEquals("running", running.body().get("experiments").get(0).get("status").textValue());
    }

    @Test
    void list_ofAnEmptyTable_isAnEmptyArray(LocalTables tables) {
        HandlerCalls.Answer all = call(Fixtures.handler(tables), event("GET", "/experiments", null, null, null));

        assertEquals(200, all.status());
        assertEquals(Json.parse("{\"experiments\": []}"), all.body());
    }

    @Test
    void history_afterCreateUpdateAndStart_listsActorActionVersionAndChanges(LocalTables tables) {
        ExperimentsHandler handler = Fixtures.handler(tables);
        create(handler, Fixtures.EXAMPLE);
        assertEquals(200, call(handler, event("PATCH", "/experiments/{key}", KEY, null,
                "{\"version\": 1, \"description\": \"Greener\"}")).status());
        assertEquals(200, call(handler, event("POST", "/experiments/{key}/start", KEY, null, null)).status());

        HandlerCalls.Answer history = call(handler, event("GET", "/experiments/{key}/history", KEY, null, null));

        assertEquals(200, history.status());
        JsonNode entries = history.body().get("entries");
        assertEquals(3, entries.size());
        List<String> actions = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            actions.add(entry.get("action").textValue());
            assertEquals(i + 1, entry.get("version").intValue());
            assertEquals(ADA, entry.get("actor").textValue());
            assertEquals("2026-11-24T10:00:00Z", entry.get("at").textValue());
        }
        assertEquals(List.of("create", "update", "start"), actions);
        assertEquals(KEY, entries.get(0).get("changes").get("key").textValue());
        assertEquals(Json.parse("{\"description\": {\"from\": \"Green buy button\", \"to\": \"Greener\"}}"), entries.get(1).get("changes"));
        assertEquals(Json.parse("{\"status\": {\"from\": \"draft\", \"to\": \"running\"}}"), entries.get(2).get("changes"));
    }

    @Test
    void history_pagesWithLimitAndNext_untilNextIsNull(LocalTables tables) {
        ExperimentsHandler handler = Fixtures.handler(tables);
        create(handler, Fixtures.EXAMPLE);
        for (int v = 1; v <= 4; v++) {
            assertEquals(200, call(handler, event("PATCH", "/experiments/{key}", KEY, null,
                    "{\"version\": " + v + ", \"description\": \"take " + v + "\"}")).status());
        }

        List<Integer> versions = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        Map<String, String> query = Map.of("limit", "2");
        while (query != null) {
            JsonNode page = call(handler, event("GET", "/experiments/{key}/history", KEY, query, null)).body();
            page.get("entries").forEach(e -> versions.add(e.get("version").intValue()));
            sizes.add(page.get("entries").size());
            query = page.get("next").isNull() ? null : Map.of("limit", "2", "next", page.get("next").textValue());
        }

        assertEquals(List.of(1, 2, 3, 4, 5), versions);
        assertEquals(List.of(2, 2, 1), sizes);
    }

    @Test
    void patchThatChangesNothing_answers200WithTheSameVersion(LocalTables tables) {
        ExperimentsHandler handler = Fixtures.handler(tables);
        JsonNode created = create(handler, Fixtures.EXAMPLE).body();

        HandlerCalls.Answer same = call(handler, event("PATCH", "/experiments/{key}", KEY, null, "{\"version\": 1, \"coverage\": 1}"));

        assertEquals(200, same.status());
        assertEquals(created, same.body());
        JsonNode history = call(handler, event("GET", "/experiments/{key}/history", KEY, null, null)).body();
        assertEquals(1, history.get("entries").size());
    }

    /** Two clients read version 1 and PATCH it at the same moment: one wins, the other is told, nothing is lost. */
    @RepeatedTest(5)
    void concurrentPatches_ofTheSameVersion_exactlyOneSucceeds(LocalTables tables) throws Exception {
        ExperimentsHandler handler = Fixtures.handler(tables);
        create(handler, Fixtures.EXAMPLE);
        CountDownLatch ready = new CountDownLatch(2);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<HandlerCalls.Answer>> results = new ArrayList<>();
        try {
            for (String description : List.of("from thread A", "from thread B")) {
                results.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return call(handler, event("PATCH", "/experiments/{key}", KEY, null,
                            "{\"version\": 1, \"description\": \"" + description + "\"}"));
                }));
            }
            assertTrue(ready.await(30, TimeUnit.SECONDS), "both threads started");
            go.countDown();
            List<HandlerCalls.Answer> responses = new ArrayList<>();
            for (Future<HandlerCalls.Answer> f : results) {
                responses.add(f.get(30, TimeUnit.SECONDS));
            }

            List<Integer> statuses = responses.stream().map(HandlerCalls.Answer::status).sorted().toList();
            assertEquals(List.of(200, 409), statuses, responses.toString());
            HandlerCalls.Answer winner = responses.stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
            HandlerCalls.Answer loser = responses.stream().filter(r -> r.status() == 409).findFirst().orElseThrow();
            assertEquals("conflict", loser.body().get("error").textValue());
            assertEquals("version", loser.body().get("field").textValue());

            JsonNode stored = call(handler, event("GET", "/experiments/{key}", KEY, null, null)).body();
            assertEquals(2, stored.get("version").intValue());
            assertEquals(winner.body().get("description"), stored.get("description"));
            JsonNode entries = call(handler, event("GET", "/experiments/{key}/history", KEY, null, null)).body().get("entries");
            assertEquals(2, entries.size());
            assertEquals(2, entries.get(1).get("version").intValue());
            assertEquals(winner.body().get("description"), entries.get(1).get("changes").get("description").get("to"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unexpectedFailure_isA500WithoutInternals(LocalTables tables) {
        DefinitionStore missingTable = new DynamoDbDefinitionStore(tables.client(), "no-such-table");
        ExperimentsHandler handler = new ExperimentsHandler(
                new ExperimentService(missingTable, Clock.fixed(Fixtures.NOW, ZoneOffset.UTC)),
                new RolloutService(missingTable, Clock.fixed(Fixtures.NOW, ZoneOffset.UTC)),
                new HoldoutService(missingTable, Clock.fixed(Fixtures.NOW, ZoneOffset.UTC)));

        HandlerCalls.Answer response = call(handler, event("GET", "/experiments/{key}", KEY, null, null));

        assertEquals(500, response.status());
        assertEquals(Json.parse("{\"error\": \"internal\", \"message\": \"internal error\", \"field\": null}"), response.body());
    }

    private static List<String> keys(JsonNode list) {
        List<String> keys = new ArrayList<>();
        list.get("experiments").forEach(e -> keys.add(e.get("key").textValue()));
        return keys;
    }
}
