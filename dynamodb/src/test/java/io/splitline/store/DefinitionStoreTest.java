package io.splitline.store;

import static io.splitline.http.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.error.DomainException;
import io.splitline.http.ApiException;
import io.splitline.http.DomainErrors;
import io.splitline.http.ErrorCode;
import io.splitline.json.Json;
import io.splitline.json.JsonValues;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(DynamoDbLocalExtension.class)
class DefinitionStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    private static DefinitionStore store(LocalTables tables) {
        return new DynamoDbDefinitionStore(tables.client(), TableNames.fromLogicalIds(tables.names()).definitions());
    }

    private static StoredDefinition definition(DefinitionKind kind, String key, String status, long version) {
        // Parsed rather than built, so numbers have the node types a read gives back.
        JsonNode body = Json.parseTrusted("{\"key\": \"" + key + "\", \"status\": \"" + status + "\", \"version\": " + version + "}");
        return new StoredDefinition(kind, key, status, version, T0.plusSeconds(version), body);
    }

    private static HistoryEntry entry(String action, long version) {
        return new HistoryEntry(T0.plusSeconds(version), "arn:aws:iam::123456789012:user/ada", action, version,
                JsonValues.of((ObjectNode) Json.parseTrusted("{\"n\": " + version + "}")));
    }

    private static List<Map<String, AttributeValue>> scan(LocalTables tables) {
        return tables.client().scan(b -> b.tableName(tables.name("DefinitionsTable"))).items();
    }

    @Test
    void create_thenGet_returnsTheSameDefinition(LocalTables tables) {
        DefinitionStore store = store(tables);
        StoredDefinition d = definition(DefinitionKind.EXPERIMENT, "checkout", "draft", 1);

        store.create(d, entry("create", 1));

        assertEquals(Optional.of(d), store.get(DefinitionKind.EXPERIMENT, "checkout"));
        assertEquals(List.of(entry("create", 1)), store.history(DefinitionKind.EXPERIMENT, "checkout"));
    }

    @Test
    void create_writesTheDocumentedItems(LocalTables tables) {
        store(tables).create(definition(DefinitionKind.EXPERIMENT, "checkout", "draft", 1), entry("create", 1));

        Map<String, AttributeValue> def = tables.client().getItem(b -> b.tableName(tables.name("DefinitionsTable"))
                .key(Map.of("pk", AttributeValue.fromS("EXP#checkout"), "sk", AttributeValue.fromS("DEF")))).item();
        assertEquals("EXPERIMENT", def.get("kind").s());
        assertEquals("checkout", def.get("key").s());
        assertEquals("draft", def.get("status").s());
        assertEquals("1", def.get("version").n());
        assertEquals("2026-11-24T10:00:01Z", def.get("updatedAt").s());
        assertEquals(Json.parseTrusted(def.get("body").s()).get("key").textValue(), "checkout");

        Map<String, AttributeValue> hist = tables.client().getItem(b -> b.tableName(tables.name("DefinitionsTable"))
                .key(Map.of("pk", AttributeValue.fromS("EXP#checkout"), "sk", AttributeValue.fromS("HIST#0000000001")))).item();
        assertEquals("create", hist.get("action").s());
        assertEquals("1", hist.get("version").n());
        assertTrue(!hist.containsKey("kind"), "history items stay out of the by-kind index");
    }

    @Test
    void aKeyUsedByOneKind_cannotBeCreatedAsAnother_inEitherDirection(LocalTables tables) {
        DefinitionStore store = store(tables);
        store.create(definition(DefinitionKind.EXPERIMENT, "checkout", "draft", 1), entry("create", 1));
        store.create(definition(DefinitionKind.ROLLOUT, "ranker", "draft", 1), entry("create", 1));
        List<Map<String, AttributeValue>> before = scan(tables);

        ApiException asRollout = refused(() -> store.create(
                definition(DefinitionKind.ROLLOUT, "checkout", "draft", 1), entry("create", 1)));
        ApiException asExperiment = refused(() -> store.create(
                definition(DefinitionKind.EXPERIMENT, "ranker", "draft", 1), entry("create", 1)));

        assertEquals(ErrorCode.CONFLICT, asRollout.code());
        assertTrue(asRollout.getMessage().contains("already used by an experiment"), asRollout.getMessage());
        assertEquals("key", asExperiment.field());
        assertTrue(asExperiment.getMessage().contains("already used by a rollout"), asExperiment.getMessage());
        assertEquals(before, scan(tables));
    }

    @Test
    void duplicateKey_isRejectedWithConflict_andWritesNothing(LocalTables tables) {
        DefinitionStore store = store(tables);
        store.create(definition(DefinitionKind.EXPERIMENT, "checkout", "draft", 1), entry("create", 1));
        List<Map<String, AttributeValue>> before = scan(tables);

        ApiException e = refused(() -> store.create(
                definition(DefinitionKind.EXPERIMENT, "checkout", "running", 1), entry("create", 1)));

        assertEquals(ErrorCode.CONFLICT, e.code());
        assertEquals("key", e.field());
        assertTrue(e.getCause() != null, "the conflict keeps its cause");
        assertEquals(before, scan(tables));
    }

    @Test
    void update_atTheExpectedVersion_replacesTheDefinitionAndAppendsHistory(LocalTables tables) {
        DefinitionStore store = store(tables);
        store.create(definition(DefinitionKind.EXPERIMENT, "checkout", "draft", 1), entry("create", 1));
        StoredDefinition v2 = definition(DefinitionKind.EXPERIMENT, "checkout", "running", 2);

        store.update(v2, 1, entry("start", 2));

        assertEquals(Optional.of(v2), store.get(DefinitionKind.EXPERIMENT, "checkout"));
        assertEquals(List.of(entry("create", 1), entry("start", 2)), store.history(DefinitionKind.EXPERIMENT, "checkout"));
    }

    @Test
    void staleVersion_isRejectedWithConflictNamingTheStoredVersion_andWritesNothing(LocalTables tables) {
        DefinitionStore store = store(tables);
        store.create(definition(DefinitionKind.EXPERIMENT, "checkout", "draft", 1), entry("create", 1));
        store.update(definition(DefinitionKind.EXPERIMENT, "checkout", "running", 2), 1, entry("start", 2));
        List<Map<String, AttributeValue>> before = scan(tables);

        ApiException e = refused(() -> store.update(
                definition(DefinitionKind.EXPERIMENT, "checkout", "paused", 2), 1, entry("pause", 2)));

        assertEquals(ErrorCode.CONFLICT, e.code());
        assertEquals("version", e.field());
        assertTrue(e.getMessage().contains("is at version 2, not 1"), e.getMessage());
        assertEquals(before, scan(tables));
    }

    /** Both writers passed their read; only the condition on the write can stop the second. */
    @RepeatedTest(5)
    void racingUpdates_ofTheSameVersion_exactlyOneIsWritten(LocalTables tables) throws Exception {
        DefinitionStore store = store(tables);
        store.create(definition(DefinitionKind.EXPERIMENT, "checkout", "draft", 1), entry("create", 1));
        List<String> results = race(List.of(
                () -> store.update(definition(DefinitionKind.EXPERIMENT, "checkout", "running", 2), 1, entry("running", 2)),
                () -> store.update(definition(DefinitionKind.EXPERIMENT, "checkout", "archived", 2), 1, entry("archived", 2))));

        assertEquals(List.of("conflict", "written"), results);
        List<HistoryEntry> history = store.history(DefinitionKind.EXPERIMENT, "checkout");
        assertEquals(2, history.size());
        assertEquals(history.get(1).action(), store.get(DefinitionKind.EXPERIMENT, "checkout").orElseThrow().status(),
                "the stored definition and its history entry come from the same writer");
    }

    /** Runs the writes at the same moment; answers their outcomes ("written" or the error code), sorted. */
    private static List<String> race(List<Runnable> writes) throws Exception {
        CountDownLatch ready = new CountDownLatch(writes.size());
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writes.size());
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            for (Runnable write : writes) {
                outcomes.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    try {
                        write.run();
                        return "written";
                    } catch (DomainException e) {
                        return DomainErrors.code(e).code();
                    }
                }));
            }
            assertTrue(ready.await(30, TimeUnit.SECONDS));
            go.countDown();
            List<String> results = new ArrayList<>();
            for (Future<String> f : outcomes) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
            return results.stream().sorted().toList();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void update_ofAMissingDefinition_isNotFound_andWritesNothing(LocalTables tables) {
        DefinitionStore store = store(tables);

        ApiException e = refused(() -> store.update(
                definition(DefinitionKind.EXPERIMENT, "ghost", "running", 2), 1, entry("start", 2)));

        assertEquals(ErrorCode.NOT_FOUND, e.code());
        assertEquals(List.of(), scan(tables));
    }

    @Test
    void update_mustWriteTheNextVersion(LocalTables tables) {
        DefinitionStore store = store(tables);

        assertThrows(IllegalArgumentException.class, () -> store.update(
                definition(DefinitionKind.EXPERIMENT, "checkout", "running", 3), 1, entry("start", 3)));
        assertThrows(IllegalArgumentException.class, () -> store.update(
                definition(DefinitionKind.EXPERIMENT, "checkout", "running", 2), 1, entry("start", 3)));
    }

    @Test
    void bodyOverTheLimit_isPayloadTooLarge_andWritesNothing(LocalTables tables) {
        DefinitionStore store = store(tables);
        ObjectNode body = Json.object().put("blob", "x".repeat(DefinitionStore.MAX_BODY_BYTES));

        ApiException e = refused(() -> store.create(
                new StoredDefinition(DefinitionKind.EXPERIMENT, "big", "draft", 1, T0, body), entry("create", 1)));

        assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, e.code());
        assertEquals(List.of(), scan(tables));
    }

    @Test
    void bodyAtTheLimit_isStored(LocalTables tables) {
        DefinitionStore store = store(tables);
        String wrapper = Json.write(Json.object().put("blob", ""));
        ObjectNode body = Json.object().put("blob", "x".repeat(DefinitionStore.MAX_BODY_BYTES - wrapper.length()));

        store.create(new StoredDefinition(DefinitionKind.EXPERIMENT, "big", "draft", 1, T0, body), entry("create", 1));

        assertEquals(body, store.get(DefinitionKind.EXPERIMENT, "big").orElseThrow().body());
    }

    @Test
    void list_readsEveryPage_inKeyOrder(LocalTables tables) {
        DefinitionStore store = new DynamoDbDefinitionStore(tables.client(), tables.name("DefinitionsTable"), 2);
        for (String key : List.of("e05", "e01", "e04", "e02", "e03")) {
            store.create(definition(DefinitionKind.EXPERIMENT, key, "draft", 1), entry("create", 1));
        }
        store.create(definition(DefinitionKind.ROLLOUT, "r01", "draft", 1), entry("create", 1));

        List<String> keys = store.list(DefinitionKind.EXPERIMENT).stream().map(StoredDefinition::key).toList();

        assertEquals(List.of("e01", "e02", "e03", "e04", "e05"), keys);
    }

    @Test
    void history_readsEveryPage_inVersionOrderPastNine(LocalTables tables) {
        DefinitionStore store = new DynamoDbDefinitionStore(tables.client(), tables.name("DefinitionsTable"), 3);
        store.create(definition(DefinitionKind.ROLLOUT, "ranker", "draft", 1), entry("create", 1));
        for (long v = 2; v <= 12; v++) {
            store.update(definition(DefinitionKind.ROLLOUT, "ranker", "in_progress", v), v - 1, entry("advance", v));
        }

        List<Long> versions = store.history(DefinitionKind.ROLLOUT, "ranker").stream().map(HistoryEntry::version).toList();

        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L), versions);
    }

    @Test
    void historyPages_followTheNextToken_inBothOrders_andEndWithoutOne(LocalTables tables) {
        DefinitionStore store = store(tables);
        store.create(definition(DefinitionKind.ROLLOUT, "ranker", "draft", 1), entry("create", 1));
        for (long v = 2; v <= 12; v++) {
            store.update(definition(DefinitionKind.ROLLOUT, "ranker", "in_progress", v), v - 1, entry("advance", v));
        }

        for (boolean newestFirst : List.of(false, true)) {
            List<Long> versions = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            Optional<String> next = Optional.empty();
            do {
                HistoryPage page = store.history(DefinitionKind.ROLLOUT, "ranker", HistoryPage.Request.parse(
                        Optional.of("5"), next, Optional.of(newestFirst ? "newest" : "oldest")));
                page.entries().forEach(e -> versions.add(e.version()));
                sizes.add(page.entries().size());
                next = page.next();
            } while (next.isPresent());

            List<Long> expected = new ArrayList<>(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L));
            if (newestFirst) {
                java.util.Collections.reverse(expected);
            }
            assertEquals(expected, versions);
            assertEquals(List.of(5, 5, 2), sizes, "a full last page would have no token either");
        }
        HistoryPage exact = store.history(DefinitionKind.ROLLOUT, "ranker", new HistoryPage.Request(12, Optional.empty(), false));
        assertEquals(12, exact.entries().size());
        assertEquals(Optional.empty(), exact.next(), "no token when nothing follows");
    }

    @Test
    void historyRequest_withABadLimitOrTokenOrOrder_isA400NamingIt() {
        for (String limit : List.of("0", "201", "ten", "")) {
            ApiException e = refused(() -> HistoryPage.Request.parse(Optional.of(limit),
                    Optional.empty(), Optional.empty()));
            assertEquals("limit", e.field(), limit);
        }
        for (String token : List.of("garbage!", "SElTVCMx", "")) {
            ApiException e = refused(() -> HistoryPage.Request.parse(Optional.empty(),
                    Optional.of(token), Optional.empty()));
            assertEquals("next", e.field(), token);
        }
        assertEquals("order", refused(() -> HistoryPage.Request.parse(Optional.empty(),
                Optional.empty(), Optional.of("latest"))).field());
        assertEquals(new HistoryPage.Request(50, Optional.empty(), false),
                HistoryPage.Request.parse(Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void updateCollapsing_extendsTheLatestEntry_whileTheCallerDeemsItTheSame(LocalTables tables) {
        DefinitionStore store = store(tables);
        store.create(definition(DefinitionKind.ROLLOUT, "ranker", "draft", 1), entry("create", 1));
        java.util.function.BiPredicate<HistoryEntry, HistoryEntry> sameAction = (a, b) -> a.action().equals(b.action());

        store.updateCollapsing(definition(DefinitionKind.ROLLOUT, "ranker", "in_progress", 2), 1, entry("hold", 2), sameAction);
        store.updateCollapsing(definition(DefinitionKind.ROLLOUT, "ranker", "in_progress", 3), 2, entry("hold", 3), sameAction);
        store.updateCollapsing(definition(DefinitionKind.ROLLOUT, "ranker", "in_progress", 4), 3, entry("hold", 4), sameAction);
        store.updateCollapsing(definition(DefinitionKind.ROLLOUT, "ranker", "in_progress", 5), 4, entry("advance", 5), sameAction);

        List<HistoryEntry> history = store.history(DefinitionKind.ROLLOUT, "ranker");
        assertEquals(List.of("create", "hold", "advance"), history.stream().map(HistoryEntry::action).toList());
        HistoryEntry holds = history.get(1);
        assertEquals(new HistoryEntry(T0.plusSeconds(2), holds.actor(), "hold", 2, entry("hold", 4).changes(), 3,
                T0.plusSeconds(4), 4), holds, "first time and version, last time, version and changes, a count of 3");
        assertEquals(5, store.get(DefinitionKind.ROLLOUT, "ranker").orElseThrow().version());
    }

    /** Both writers read version 2 (whose entry is a hold) and extend it: only one may. */
    @RepeatedTest(5)
    void racingCollapsingUpdates_ofTheSameVersion_exactlyOneCounts(LocalTables tables) throws Exception {
        DefinitionStore store = store(tables);
        store.create(definition(DefinitionKind.ROLLOUT, "ranker", "draft", 1), entry("create", 1));
        store.update(definition(DefinitionKind.ROLLOUT, "ranker", "in_progress", 2), 1, entry("hold", 2));
        Runnable extend = () -> store.updateCollapsing(definition(DefinitionKind.ROLLOUT, "ranker", "in_progress", 3), 2,
                entry("hold", 3), (a, b) -> true);

        assertEquals(List.of("conflict", "written"), race(List.of(extend, extend)));
        List<HistoryEntry> history = store.history(DefinitionKind.ROLLOUT, "ranker");
        assertEquals(List.of(1L, 2L), history.stream().map(HistoryEntry::count).toList());
        assertEquals(3, history.get(1).lastVersion());
    }

    @Test
    void history_ofAnUnknownKey_isEmpty(LocalTables tables) {
        assertEquals(List.of(), store(tables).history(DefinitionKind.EXPERIMENT, "ghost"));
        assertEquals(Optional.empty(), store(tables).get(DefinitionKind.EXPERIMENT, "ghost"));
    }

    @Test
    void historyEntry_apiForm_hasTheDocumentedFields() {
        JsonNode json = HistoryEntryJson.toJson(entry("create", 1));

        List<String> names = new java.util.ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("at", "actor", "action", "version", "changes"), names);
        assertEquals("2026-11-24T10:00:01Z", json.get("at").textValue());
    }
}
