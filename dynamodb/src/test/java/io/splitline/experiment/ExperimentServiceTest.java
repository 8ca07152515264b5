package io.splitline.experiment;

import static io.splitline.http.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.http.ApiException;
import io.splitline.http.ErrorCode;
import io.splitline.json.Json;
import io.splitline.store.DefinitionStore;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.HistoryEntry;
import io.splitline.store.TableNames;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(DynamoDbLocalExtension.class)
class ExperimentServiceTest {
    private static final String ADA = "arn:aws:iam::123456789012:user/ada";
    private static final String BOB = "arn:aws:iam::123456789012:user/bob";
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final String KEY = "checkout-button";

    /** A service whose clock reads {@code T0 + minutes}. */
    private static ExperimentService at(LocalTables tables, int minutes) {
        DefinitionStore store = new DynamoDbDefinitionStore(tables.client(), TableNames.fromLogicalIds(tables.names()).definitions());
        return new ExperimentService(store, Clock.fixed(T0.plusSeconds(60L * minutes), ZoneOffset.UTC));
    }

    private static ExperimentService service(LocalTables tables) {
        return at(tables, 0);
    }

    private static Experiment createFull(LocalTables tables) {
        return service(tables).create(ExperimentJson.parseSpec(Json.parse(ExperimentJsonTest.FULL)), ADA);
    }

    /** Brings a fresh experiment to {@code status} through legal moves. */
    private static Experiment createIn(LocalTables tables, ExperimentStatus status) {
        Experiment e = createFull(tables);
        List<LifecycleAction> path = switch (status) {
            case DRAFT -> List.of();
            case RUNNING -> List.of(LifecycleAction.START);
            case PAUSED -> List.of(LifecycleAction.START, LifecycleAction.PAUSE);
            case COMPLETED -> List.of(LifecycleAction.START, LifecycleAction.COMPLETE);
            case ARCHIVED -> List.of(LifecycleAction.ARCHIVE);
        };
        for (LifecycleAction action : path) {
            e = service(tables).transition(KEY, action, ADA);
        }
        assertEquals(status, e.status());
        return e;
    }

    private static List<Map<String, AttributeValue>> scan(LocalTables tables) {
        List<Map<String, AttributeValue>> items = new ArrayList<>(
                tables.client().scan(b -> b.tableName(tables.name("DefinitionsTable"))).items());
        items.sort(Comparator.comparing((Map<String, AttributeValue> i) -> i.get("pk").s()).thenComparing(i -> i.get("sk").s()));
        return items;
    }

    private static JsonNode patch(String json) {
        return Json.parse(json);
    }

    private static ApiException rejected(ErrorCode code, String field, Runnable call) {
        ApiException e = refused(call::run);
        assertEquals(code, e.code(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        return e;
    }

    // ------------------------------------------------------------------ create, get, list

    @Test
    void create_storesADraftAtVersion1(LocalTables tables) {
        Experiment e = createFull(tables);

        assertEquals(ExperimentStatus.DRAFT, e.status());
        assertEquals(1, e.version());
        assertEquals(T0, e.createdAt());
        assertEquals(T0, e.updatedAt());
        assertNull(e.startedAt());
        assertNull(e.completedAt());
        assertEquals(e, service(tables).get(KEY));
    }

    @Test
    void timestamps_haveMillisecondPrecision(LocalTables tables) {
        DefinitionStore store = new DynamoDbDefinitionStore(tables.client(), tables.name("DefinitionsTable"));
        ExperimentService service = new ExperimentService(store, Clock.fixed(Instant.parse("2026-11-24T10:00:00.123456789Z"), ZoneOffset.UTC));

        Experiment e = service.create(ExperimentJson.parseSpec(Json.parse(ExperimentJsonTest.MINIMAL)), ADA);

        assertEquals(Instant.parse("2026-11-24T10:00:00.123Z"), e.createdAt());
    }

    @Test
    void createTwice_isAConflict(LocalTables tables) {
        createFull(tables);

        rejected(ErrorCode.CONFLICT, "key", () -> createFull(tables));
    }

    @Test
    void get_ofAnUnknownKey_isNotFound_andOfAMalformedKey_isInvalid(LocalTables tables) {
        rejected(ErrorCode.NOT_FOUND, null, () -> service(tables).get("ghost"));
        rejected(ErrorCode.INVALID_REQUEST, "key", () -> service(tables).get("Not A Key"));
    }

    @Test
    void list_isSortedByKey_andFiltersByStatus(LocalTables tables) {
        ExperimentService service = service(tables);
        for (String key : List.of("zeta", "alpha", "mid")) {
            service.create(ExperimentJson.parseSpec(Json.parse(ExperimentJsonTest.MINIMAL.replace("\"k1\"", "\"" + key + "\""))), ADA);
        }
        service.transition("mid", LifecycleAction.START, ADA);

        assertEquals(List.of("alpha", "mid", "zeta"), service.list(null).stream().map(Experiment::key).toList());
        assertEquals(List.of("mid"), service.list("running").stream().map(Experiment::key).toList());
        assertEquals(List.of("alpha", "zeta"), service.list("draft").stream().map(Experiment::key).toList());
        assertEquals(List.of(), service.list("archived"));
        rejected(ErrorCode.INVALID_REQUEST, "status", () -> service.list("RUNNING"));
    }

    // ------------------------------------------------------------------ lifecycle

    static Stream<Arguments> everyStatusAndAction() {
        List<Arguments> cases = new ArrayList<>();
        for (ExperimentStatus status : ExperimentStatus.values()) {
            for (LifecycleAction action : LifecycleAction.values()) {
                cases.add(Arguments.of(status, action, action.allowedFrom(status)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{1} from {0}: allowed={2}")
    @MethodSource("everyStatusAndAction")
    void transition_followsTheLifecycle(ExperimentStatus from, LifecycleAction action, boolean allowed, LocalTables tables) {
        Experiment before = createIn(tables, from);
        List<Map<String, AttributeValue>> itemsBefore = scan(tables);

        if (allowed) {
            Experiment after = at(tables, 90).transition(KEY, action, BOB);

            assertEquals(action.to(), after.status());
            assertEquals(before.version() + 1, after.version());
            assertEquals(after, service(tables).get(KEY));
            HistoryEntry last = service(tables).history(KEY).get((int) after.version() - 1);
            assertEquals(action.json(), last.action());
            assertEquals(BOB, last.actor());
            assertEquals(Json.parse("{\"status\": {\"from\": \"" + from.json() + "\", \"to\": \"" + action.to().json() + "\"}}"),
                    last.changes());
        } else {
            ApiException e = rejected(ErrorCode.CONFLICT, null, () -> at(tables, 90).transition(KEY, action, BOB));
            assertTrue(e.getMessage().contains("it is " + from.json()), e.getMessage());
            assertEquals(itemsBefore, scan(tables));
        }
    }

    @Test
    void exactlyTheDocumentedMovesAreLegal() {
        List<String> legal = new ArrayList<>();
        everyStatusAndAction().filter(a -> (boolean) a.get()[2])
                .forEach(a -> legal.add(((LifecycleAction) a.get()[1]).json() + " from " + ((ExperimentStatus) a.get()[0]).json()));

        assertEquals(List.of("start from draft", "archive from draft", "pause from running", "complete from running",
                "archive from running", "resume from paused", "complete from paused", "archive from paused",
                "archive from completed"), legal);
    }

    @Test
    void lifecycle_setsStartedAtOnFirstStart_andCompletedAtOnComplete(LocalTables tables) {
        createFull(tables);

        Experiment started = at(tables, 1).transition(KEY, LifecycleAction.START, ADA);
        Experiment paused = at(tables, 2).transition(KEY, LifecycleAction.PAUSE, ADA);
        Experiment resumed = at(tables, 3).transition(KEY, LifecycleAction.RESUME, ADA);
        Experiment completed = at(tables, 4).transition(KEY, LifecycleAction.COMPLETE, ADA);
        Experiment archived = at(tables, 5).transition(KEY, LifecycleAction.ARCHIVE, ADA);

        Instant t1 = T0.plusSeconds(60);
        Instant t4 = T0.plusSeconds(240);
        assertEquals(t1, started.startedAt());
        assertNull(started.completedAt());
        assertEquals(t1, paused.startedAt());
        assertEquals(t1, resumed.startedAt(), "resume keeps the first start");
        assertEquals(T0.plusSeconds(180), resumed.updatedAt());
        assertEquals(t4, completed.completedAt());
        assertEquals(t1, archived.startedAt());
        assertEquals(t4, archived.completedAt());
        assertEquals(T0, archived.createdAt());
        assertEquals(T0.plusSeconds(300), archived.updatedAt());
        assertEquals(6, archived.version());
        assertEquals(archived, service(tables).get(KEY));
    }

    @Test
    void transition_ofAnUnknownExperiment_isNotFound(LocalTables tables) {
        rejected(ErrorCode.NOT_FOUND, null, () -> service(tables).transition("ghost", LifecycleAction.START, ADA));
    }

    // ------------------------------------------------------------------ PATCH

    @Test
    void draft_mayChangeAnything(LocalTables tables) {
        createFull(tables);

        Experiment updated = at(tables, 5).update(KEY, patch("""
                {"version": 1, "variants": [{"key": "control", "weight": 0.2}, {"key": "green", "weight": 0.3},
                                            {"key": "red", "weight": 0.5}],
                 "control": "green", "coverage": 0.1, "targeting": null, "namespace": null,
                 "metrics": [{"key": "purchase", "type": "mean"}]}"""), BOB);

        assertEquals(2, updated.version());
        assertEquals(3, updated.spec().variants().size());
        assertEquals("green", updated.spec().control());
        assertEquals(0.1, updated.spec().coverage());
        assertNull(updated.spec().targeting());
        assertNull(updated.spec().namespace());
        assertEquals(MetricType.MEAN, updated.spec().metrics().get(0).type());
        assertEquals("Green buy button", updated.spec().description(), "fields not named are kept");
        assertEquals(T0.plusSeconds(300), updated.updatedAt());
        assertEquals(T0, updated.createdAt());
        assertEquals(updated, service(tables).get(KEY));
    }

    @Test
    void nullField_resetsItToItsDefault(LocalTables tables) {
        createFull(tables);

        Experiment updated = service(tables).update(KEY, patch(
                "{\"version\": 1, \"coverage\": null, \"confidenceLevel\": null, \"description\": null, \"overrides\": null}"), ADA);

        assertEquals(1.0, updated.spec().coverage());
        assertEquals(0.95, updated.spec().confidenceLevel());
        assertEquals("", updated.spec().description());
        assertEquals(Map.of(), updated.spec().overrides());
    }

    @Test
    void patchThatChangesNothing_answersTheExperiment_andWritesNothing(LocalTables tables) {
        Experiment created = createFull(tables);
        List<Map<String, AttributeValue>> before = scan(tables);

        Experiment same = at(tables, 5).update(KEY, patch(
                "{\"version\": 1, \"key\": \"checkout-button\", \"coverage\": 0.8000, \"description\": \"Green buy button\"}"), BOB);

        assertEquals(created, same);
        assertEquals(before, scan(tables));
    }

    @Test
    void staleVersion_isRejectedWithConflict(LocalTables tables) {
        createFull(tables);
        service(tables).update(KEY, patch("{\"version\": 1, \"description\": \"one\"}"), ADA);
        List<Map<String, AttributeValue>> before = scan(tables);

        ApiException e = rejected(ErrorCode.CONFLICT, "version",
                () -> service(tables).update(KEY, patch("{\"version\": 1, \"description\": \"two\"}"), BOB));

        assertTrue(e.getMessage().contains("is at version 2, not 1"), e.getMessage());
        assertEquals(before, scan(tables));
    }

    @Test
    void patchShape_isCheckedBeforeAnythingIsRead(LocalTables tables) {
        ExperimentService service = service(tables);
        rejected(ErrorCode.INVALID_REQUEST, "version", () -> service.update(KEY, patch("{\"description\": \"x\"}"), ADA));
        rejected(ErrorCode.INVALID_REQUEST, "version", () -> service.update(KEY, patch("{\"version\": \"1\"}"), ADA));
        rejected(ErrorCode.INVALID_REQUEST, "version", () -> service.update(KEY, patch("{\"version\": 1.5}"), ADA));
        rejected(ErrorCode.INVALID_REQUEST, "version", () -> service.update(KEY, patch("{\"version\": 0}"), ADA));
        rejected(ErrorCode.INVALID_REQUEST, "status", () -> service.update(KEY, patch("{\"version\": 1, \"status\": \"running\"}"), ADA));
        rejected(ErrorCode.INVALID_REQUEST, "createdAt", () -> service.update(KEY, patch("{\"version\": 1, \"createdAt\": \"2026-01-01T00:00:00Z\"}"), ADA));
        rejected(ErrorCode.INVALID_REQUEST, "colour", () -> service.update(KEY, patch("{\"version\": 1, \"colour\": \"red\"}"), ADA));
        rejected(ErrorCode.INVALID_REQUEST, "key", () -> service.update(KEY, patch("{\"version\": 1, \"key\": \"other-key\"}"), ADA));
        rejected(ErrorCode.INVALID_REQUEST, null, () -> service.update(KEY, patch("[1]"), ADA));
        rejected(ErrorCode.NOT_FOUND, null, () -> service.update(KEY, patch("{\"version\": 1}"), ADA));
    }

    @Test
    void mergedDefinition_isValidatedAsAWhole(LocalTables tables) {
        createFull(tables);
        List<Map<String, AttributeValue>> before = scan(tables);

        rejected(ErrorCode.INVALID_REQUEST, "variants", () -> service(tables).update(KEY, patch(
                "{\"version\": 1, \"variants\": [{\"key\": \"control\", \"weight\": 0.5}, {\"key\": \"green\", \"weight\": 0.6}]}"), ADA));
        rejected(ErrorCode.INVALID_REQUEST, "control", () -> service(tables).update(KEY, patch(
                "{\"version\": 1, \"variants\": [{\"key\": \"base\", \"weight\": 0.5}, {\"key\": \"green\", \"weight\": 0.5}]}"), ADA));
        rejected(ErrorCode.INVALID_REQUEST, "coverage", () -> service(tables).update(KEY, patch("{\"version\": 1, \"coverage\": 1.5}"), ADA));
        rejected(ErrorCode.INVALID_REQUEST, "multipleTesting", () -> service(tables).update(KEY,
                patch("{\"version\": 1, \"multipleTesting\": \"fdr\"}"), ADA));

        assertEquals(before, scan(tables));
    }

    static Stream<Arguments> unitMovingPatches() {
        return Stream.of(
                Arguments.of("variants", "{\"version\": 2, \"variants\": [{\"key\": \"control\", \"weight\": 0.4}, {\"key\": \"green\", \"weight\": 0.6}]}"),
                Arguments.of("variants", "{\"version\": 2, \"variants\": [{\"key\": \"control\", \"weight\": 0.5, \"config\": {\"color\": \"red\"}}, {\"key\": \"green\", \"weight\": 0.5}]}"),
                Arguments.of("control", "{\"version\": 2, \"control\": \"green\"}"),
                Arguments.of("targeting", "{\"version\": 2, \"targeting\": null}"),
                Arguments.of("namespace", "{\"version\": 2, \"namespace\": {\"name\": \"checkout\", \"start\": 0.5, \"end\": 1.0}}"));
    }

    @Test
    void sequentialTuning_isFrozenWhileRunning(LocalTables tables) {
        createIn(tables, ExperimentStatus.RUNNING);
        List<Map<String, AttributeValue>> before = scan(tables);

        ApiException e = rejected(ErrorCode.CONFLICT, "expectedUnitsPerVariant", () -> service(tables).update(KEY,
                patch("{\"version\": 2, \"expectedUnitsPerVariant\": 100000}"), BOB));

        assertTrue(e.getMessage().contains("tuned before the data"), e.getMessage());
        assertEquals(before, scan(tables));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("unitMovingPatches")
    void unitMovingFields_areFrozenWhileRunning(String field, String body, LocalTables tables) {
        createIn(tables, ExperimentStatus.RUNNING);
        List<Map<String, AttributeValue>> before = scan(tables);

        ApiException e = rejected(ErrorCode.CONFLICT, field, () -> service(tables).update(KEY, patch(body), BOB));

        assertTrue(e.getMessage().startsWith(field + " cannot change while the experiment is running"), e.getMessage());
        assertEquals(before, scan(tables));
    }

    @Test
    void weights_areFrozenWhilePaused(LocalTables tables) {
        createIn(tables, ExperimentStatus.PAUSED);

        rejected(ErrorCode.CONFLICT, "variants", () -> service(tables).update(KEY, patch(
                "{\"version\": 3, \"variants\": [{\"key\": \"control\", \"weight\": 0.4}, {\"key\": \"green\", \"weight\": 0.6}]}"), ADA));
    }

    @Test
    void coverage_mayGrowWhileRunning_butNeverShrink(LocalTables tables) {
        createIn(tables, ExperimentStatus.RUNNING);

        Experiment grown = service(tables).update(KEY, patch("{\"version\": 2, \"coverage\": 0.9}"), ADA);
        assertEquals(0.9, grown.spec().coverage());

        List<Map<String, AttributeValue>> before = scan(tables);
        rejected(ErrorCode.CONFLICT, "coverage", () -> service(tables).update(KEY, patch("{\"version\": 3, \"coverage\": 0.89}"), ADA));
        assertEquals(before, scan(tables));
    }

    @Test
    void whileRunning_descriptionOverridesMetricsAndThresholds_mayChange(LocalTables tables) {
        createIn(tables, ExperimentStatus.RUNNING);

        Experiment updated = service(tables).update(KEY, patch("""
                {"version": 2, "description": "now with a fourth metric", "overrides": {"qa-user-9": "green"},
                 "metrics": [{"key": "purchase", "type": "conversion", "role": "primary"},
                             {"key": "revenue", "type": "mean", "direction": "decrease"},
                             {"key": "refund", "type": "conversion", "role": "guardrail"}],
                 "confidenceLevel": 0.9, "minimumSampleSize": 1000, "multipleTesting": "benjamini_hochberg"}"""), ADA);

        assertEquals(3, updated.version());
        assertEquals(Map.of("qa-user-9", "green"), updated.spec().overrides());
        assertEquals(List.of("purchase", "revenue", "refund"), updated.spec().metrics().stream().map(Metric::key).toList());
        assertEquals(0.9, updated.spec().confidenceLevel());
        assertEquals(1000, updated.spec().minimumSampleSize());
        assertEquals(MultipleTestingCorrection.BENJAMINI_HOCHBERG, updated.spec().multipleTesting());
        assertEquals(ExperimentStatus.RUNNING, updated.status());
    }

    @Test
    void metricType_isFrozenWhileRunning(LocalTables tables) {
        createIn(tables, ExperimentStatus.RUNNING);

        rejected(ErrorCode.CONFLICT, "metrics[1].type", () -> service(tables).update(KEY, patch("""
                {"version": 2, "metrics": [{"key": "purchase", "type": "conversion"}, {"key": "revenue", "type": "conversion"}]}"""), ADA));
    }

    @ParameterizedTest
    @ValueSource(strings = {"COMPLETED", "ARCHIVED"})
    void finishedExperiment_onlyDescriptionMayChange(ExperimentStatus status, LocalTables tables) {
        Experiment e = createIn(tables, status);

        rejected(ErrorCode.CONFLICT, "overrides", () -> service(tables).update(KEY, patch(
                "{\"version\": " + e.version() + ", \"overrides\": {}}"), ADA));
        rejected(ErrorCode.CONFLICT, "coverage", () -> service(tables).update(KEY, patch(
                "{\"version\": " + e.version() + ", \"coverage\": 1.0}"), ADA));
        Experiment described = service(tables).update(KEY, patch(
                "{\"version\": " + e.version() + ", \"description\": \"shipped green\"}"), ADA);
        assertEquals("shipped green", described.spec().description());
        assertEquals(status, described.status());
    }

    // ------------------------------------------------------------------ history

    @Test
    void history_recordsActorActionVersionAndChanges(LocalTables tables) {
        createFull(tables);
        at(tables, 1).update(KEY, patch("{\"version\": 1, \"description\": \"Greener\", \"coverage\": 1}"), BOB);
        at(tables, 2).transition(KEY, LifecycleAction.START, ADA);

        List<HistoryEntry> history = service(tables).history(KEY);

        assertEquals(3, history.size());
        HistoryEntry create = history.get(0);
        assertEquals(new HistoryEntry(T0, ADA, "create", 1, create.changes()), create);
        // Through text, as the store keeps it, so that number nodes have the types a read gives back.
        assertEquals(Json.parseTrusted(Json.write(ExperimentJson.specToJson(ExperimentJson.parseSpec(Json.parse(ExperimentJsonTest.FULL))))),
                create.changes());

        assertEquals(new HistoryEntry(T0.plusSeconds(60), BOB, "update", 2, Json.parse("""
                {"description": {"from": "Green buy button", "to": "Greener"}, "coverage": {"from": 0.8, "to": 1.0}}""")),
                history.get(1));
        assertEquals(new HistoryEntry(T0.plusSeconds(120), ADA, "start", 3,
                Json.parse("{\"status\": {\"from\": \"draft\", \"to\": \"running\"}}")), history.get(2));
    }

    @Test
    void history_recordsAddedAndRemovedFieldsAsNull(LocalTables tables) {
        createFull(tables);

        service(tables).update(KEY, patch("{\"version\": 1, \"namespace\": null}"), ADA);

        JsonNode changes = service(tables).history(KEY).get(1).changes();
        assertEquals(Json.parse("{\"name\": \"checkout\", \"start\": 0.0, \"end\": 0.5}"), changes.get("namespace").get("from"));
        assertTrue(changes.get("namespace").get("to").isNull());
    }

    @Test
    void history_ofAnUnknownExperiment_isNotFound(LocalTables tables) {
        rejected(ErrorCode.NOT_FOUND, null, () -> service(tables).history("ghost"));
    }
}
