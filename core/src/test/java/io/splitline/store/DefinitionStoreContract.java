package io.splitline.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.error.AlreadyExistsException;
import io.splitline.error.DomainException;
import io.splitline.error.NotFoundException;
import io.splitline.error.TooLargeException;
import io.splitline.error.VersionConflictException;
import io.splitline.json.Json;
import io.splitline.json.JsonValues;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DefinitionStore} guarantees, run against each implementation: the in-memory twin
 * ({@code InMemoryDefinitionStoreTest}) and DynamoDB Local ({@code DynamoDbDefinitionStoreContractTest}),
 * so that service tests on the twin test what production does.
 */
public abstract class DefinitionStoreContract {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    /** An empty store, new for every test. */
    protected abstract DefinitionStore store();

    private static StoredDefinition definition(DefinitionKind kind, String key, String status, long version) {
        // Parsed rather than built, so numbers have the node types a read gives back.
        JsonNode body = Json.parseTrusted("{\"key\": \"" + key + "\", \"status\": \"" + status + "\", \"version\": " + version + "}");
        return new StoredDefinition(kind, key, status, version, T0.plusSeconds(version), body);
    }

    private static HistoryEntry entry(String action, long version) {
        return new HistoryEntry(T0.plusSeconds(version), "arn:aws:iam::123456789012:user/ada", action, version,
                JsonValues.of((ObjectNode) Json.parseTrusted("{\"n\": " + version + "}")));
    }

    @Test
    void create_thenGetAndFind_returnTheSameDefinition() {
        DefinitionStore store = store();
        StoredDefinition d = definition(DefinitionKind.EXPERIMENT, "checkout", "draft", 1);

        store.create(d, entry("create", 1));

        assertEquals(Optional.of(d), store.get(DefinitionKind.EXPERIMENT, "checkout"));
        assertEquals(Optional.of(d), store.find("checkout"));
        assertEquals(Optional.empty(), store.get(DefinitionKind.ROLLOUT, "checkout"));
        assertEquals(List.of(entry("create", 1)), store.history(DefinitionKind.EXPERIMENT, "checkout"));
    }

    @Test
    void theSchemaVersion_isKeptByCreateAndUpdate() {
        DefinitionStore store = store();
        StoredDefinition d = definition(DefinitionKind.EXPERIMENT, "checkout", "draft", 1);
        store.create(new StoredDefinition(d.kind(), d.key(), d.status(), 1, d.updatedAt(), d.body(), null, 2), entry("create", 1));
        assertEquals(2, store.get(DefinitionKind.EXPERIMENT, "checkout").orElseThrow().schemaVersion());

        StoredDefinition next = definition(DefinitionKind.EXPERIMENT, "checkout", "running", 2);
        store.update(new StoredDefinition(next.kind(), next.key(), next.status(), 2, next.updatedAt(), next.body(), null, 3), 1,
                entry("start", 2));
        assertEquals(3, store.get(DefinitionKind.EXPERIMENT, "checkout").orElseThrow().schemaVersion());
    }

    @Test
    void aKeyIsCreatedOnce_acrossKinds_andARefusedCreateWritesNothing() {
        DefinitionStore store = store();
        store.create(definition(DefinitionKind.EXPERIMENT, "checkout", "draft", 1), entry("create", 1));

        AlreadyExistsException same = assertThrows(AlreadyExistsException.class, () -> store.create(
                definition(DefinitionKind.EXPERIMENT, "checkout", "running", 1), entry("create", 1)));
        AlreadyExistsException other = assertThrows(AlreadyExistsException.class, () -> store.create(
                definition(DefinitionKind.ROLLOUT, "checkout", "draft", 1), entry("create", 1)));

        assertEquals("key", same.field());
        assertEquals("key", other.field());
        assertTrue(other.getMessage().contains("share one key space"), other.getMessage());
        assertEquals("draft", store.get(DefinitionKind.EXPERIMENT, "checkout").orElseThrow().status());
        assertEquals(Optional.empty(), store.get(DefinitionKind.ROLLOUT, "checkout"));
    }

    @Test
    void update_atTheExpectedVersion_replacesAndAppendsHistory_aStaleOneIsAVersionConflict() {
        DefinitionStore store = store();
        store.create(definition(DefinitionKind.ROLLOUT, "ranker", "draft", 1), entry("create", 1));
        store.update(definition(DefinitionKind.ROLLOUT, "ranker", "in_progress", 2), 1, entry("start", 2));

        VersionConflictException stale = assertThrows(VersionConflictException.class, () -> store.update(
                definition(DefinitionKind.ROLLOUT, "ranker", "paused", 2), 1, entry("pause", 2)));

        assertEquals("version", stale.field());
        assertTrue(stale.getMessage().contains("is at version 2, not 1"), stale.getMessage());
        assertEquals("in_progress", store.get(DefinitionKind.ROLLOUT, "ranker").orElseThrow().status());
        assertEquals(List.of(entry("create", 1), entry("start", 2)), store.history(DefinitionKind.ROLLOUT, "ranker"));
    }

    @Test
    void update_ofAMissingDefinition_isNotFound() {
        DefinitionStore store = store();

        assertThrows(NotFoundException.class, () -> store.update(
                definition(DefinitionKind.EXPERIMENT, "ghost", "running", 2), 1, entry("start", 2)));
        assertEquals(List.of(), store.history(DefinitionKind.EXPERIMENT, "ghost"));
    }

    @Test
    void bodyOverTheLimit_isTooLarge_andWritesNothing() {
        DefinitionStore store = store();
        JsonNode body = Json.object().put("blob", "x".repeat(DefinitionStore.MAX_BODY_BYTES));

        assertThrows(TooLargeException.class, () -> store.create(new StoredDefinition(DefinitionKind.EXPERIMENT,
                "big", "draft", 1, T0, body), entry("create", 1)));
        assertEquals(Optional.empty(), store.find("big"));
    }

    @Test
    void racingUpdates_ofTheSameVersion_exactlyOneIsWritten() throws Exception {
        DefinitionStore store = store();
        store.create(definition(DefinitionKind.EXPERIMENT, "checkout", "draft", 1), entry("create", 1));
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch ready = new CountDownLatch(writers);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String status = "status" + i;
                outcomes.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    try {
                        store.update(definition(DefinitionKind.EXPERIMENT, "checkout", status, 2), 1, entry(status, 2));
                        return "written";
                    } catch (DomainException e) {
                        return e.getClass().getSimpleName();
                    }
                }));
            }
            assertTrue(ready.await(30, TimeUnit.SECONDS));
            go.countDown();
            List<String> results = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                results.add(outcome.get(60, TimeUnit.SECONDS));
            }

            assertEquals(1, results.stream().filter("written"::equals).count(), results.toString());
            assertEquals(writers - 1, results.stream().filter("VersionConflictException"::equals).count(), results.toString());
            assertEquals(2, store.history(DefinitionKind.EXPERIMENT, "checkout").size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void list_isInKeyOrder_andHoldsOneKind() {
        DefinitionStore store = store();
        for (String key : List.of("b-exp", "c-exp", "a-exp")) {
            store.create(definition(DefinitionKind.EXPERIMENT, key, "draft", 1), entry("create", 1));
        }
        store.create(definition(DefinitionKind.ROLLOUT, "a-rollout", "draft", 1), entry("create", 1));

        assertEquals(List.of("a-exp", "b-exp", "c-exp"),
                store.list(DefinitionKind.EXPERIMENT).stream().map(StoredDefinition::key).toList());
    }

    @Test
    void historyPages_followTheNextToken_inBothOrders_andEndWithoutOne() {
        DefinitionStore store = store();
        store.create(definition(DefinitionKind.EXPERIMENT, "checkout", "draft", 1), entry("create", 1));
        for (long v = 2; v <= 11; v++) {
            store.update(definition(DefinitionKind.EXPERIMENT, "checkout", "draft", v), v - 1, entry("update", v));
        }
        for (boolean newestFirst : new boolean[] {false, true}) {
            List<Long> versions = new ArrayList<>();
            Optional<String> token = Optional.empty();
            int pages = 0;
            do {
                HistoryPage.Request request = HistoryPage.Request.parse(Optional.of("4"), token,
                        Optional.of(newestFirst ? "newest" : "oldest"));
                HistoryPage page = store.history(DefinitionKind.EXPERIMENT, "checkout", request);
                page.entries().forEach(e -> versions.add(e.version()));
                token = page.next();
                pages++;
            } while (token.isPresent());

            List<Long> expected = new ArrayList<>();
            for (long v = 1; v <= 11; v++) {
                expected.add(newestFirst ? 12 - v : v);
            }
            assertEquals(expected, versions, "newestFirst " + newestFirst);
            assertEquals(3, pages, "newestFirst " + newestFirst);
        }
    }

    @Test
    void updateCollapsing_extendsTheLatestEntry_whileTheCallerDeemsItTheSame() {
        DefinitionStore store = store();
        store.create(definition(DefinitionKind.ROLLOUT, "ranker", "in_progress", 1), entry("create", 1));
        store.updateCollapsing(definition(DefinitionKind.ROLLOUT, "ranker", "in_progress", 2), 1, entry("hold", 2),
                (latest, change) -> latest.action().equals(change.action()));
        store.updateCollapsing(definition(DefinitionKind.ROLLOUT, "ranker", "in_progress", 3), 2, entry("hold", 3),
                (latest, change) -> latest.action().equals(change.action()));

        List<HistoryEntry> history = store.history(DefinitionKind.ROLLOUT, "ranker");

        assertEquals(List.of("create", "hold"), history.stream().map(HistoryEntry::action).toList());
        HistoryEntry run = history.get(1);
        assertEquals(2, run.version());
        assertEquals(2, run.count());
        assertEquals(3, run.lastVersion());
        assertEquals(T0.plusSeconds(3), run.lastSeenAt());
    }

    @Test
    void watchedState_isReplacedOnlyFromWhatTheWriterRead() {
        DefinitionStore store = store();

        assertEquals(Optional.empty(), store.watchedState(DefinitionKind.EXPERIMENT, "checkout"));
        assertTrue(store.replaceWatchedState(DefinitionKind.EXPERIMENT, "checkout", Optional.empty(), "one"));
        assertFalse(store.replaceWatchedState(DefinitionKind.EXPERIMENT, "checkout", Optional.empty(), "two"));
        assertFalse(store.replaceWatchedState(DefinitionKind.EXPERIMENT, "checkout", Optional.of("zero"), "two"));
        assertTrue(store.replaceWatchedState(DefinitionKind.EXPERIMENT, "checkout", Optional.of("one"), "two"));
        assertEquals(Optional.of("two"), store.watchedState(DefinitionKind.EXPERIMENT, "checkout"));
    }

    @Test
    void due_listsTheDefinitionsOfAKindDueByThen_soonestFirst() {
        DefinitionStore store = store();
        JsonNode body = Json.parseTrusted("{}");
        store.create(new StoredDefinition(DefinitionKind.EXPERIMENT, "later", "draft", 1, T0, body, T0.plusSeconds(60)),
                entry("create", 1));
        store.create(new StoredDefinition(DefinitionKind.EXPERIMENT, "sooner", "draft", 1, T0, body, T0.plusSeconds(10)),
                entry("create", 1));
        store.create(new StoredDefinition(DefinitionKind.EXPERIMENT, "future", "draft", 1, T0, body, T0.plusSeconds(600)),
                entry("create", 1));
        store.create(new StoredDefinition(DefinitionKind.ROLLOUT, "rollout", "draft", 1, T0, body, T0.plusSeconds(5)),
                entry("create", 1));
        store.create(new StoredDefinition(DefinitionKind.EXPERIMENT, "unscheduled", "draft", 1, T0, body),
                entry("create", 1));

        assertEquals(List.of("sooner", "later"), store.due(DefinitionKind.EXPERIMENT, T0.plusSeconds(60)));
        assertEquals(List.of("rollout"), store.due(DefinitionKind.ROLLOUT, T0.plusSeconds(60)));
    }

    @Test
    void numbers_readBackAsTheirJsonTextParsesOnce_whateverNodesWereWritten() {
        // Services build nodes from Java doubles; the store keeps JSON text, so a read gives what that text parses to.
        DefinitionStore store = store();
        ObjectNode body = Json.object().put("key", "checkout").put("status", "draft").put("version", 1)
                .put("start", 0.0).put("percent", 5.0);
        ObjectNode changes = Json.object();
        changes.putObject("percent").put("from", 5.0).put("to", 7.5);

        store.create(new StoredDefinition(DefinitionKind.EXPERIMENT, "checkout", "draft", 1, T0, body),
                new HistoryEntry(T0, "arn:aws:iam::123456789012:user/ada", "create", 1, JsonValues.of(changes)));

        JsonNode read = store.get(DefinitionKind.EXPERIMENT, "checkout").orElseThrow().body();
        assertEquals(Json.parseTrusted(Json.write(body)), read);
        assertNotEquals(body, read, "double nodes do not come back as double nodes");
        assertEquals(JsonValues.of(Json.parseTrusted(Json.write(changes))), store.history(DefinitionKind.EXPERIMENT, "checkout").get(0).changes());
        assertEquals(read, store.get(DefinitionKind.EXPERIMENT, "checkout").orElseThrow().body(), "a second read, the same nodes");
    }
}
