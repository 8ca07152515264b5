package io.splitline.experiment;

import static io.splitline.http.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.http.ApiException;
import io.splitline.http.ErrorCode;
import io.splitline.json.Json;
import io.splitline.json.JsonValue;
import io.splitline.json.JsonValues;
import io.splitline.store.DefinitionStore;
import io.splitline.store.HistoryEntry;
import io.splitline.store.InMemoryDefinitionStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The experiments resource on the in-memory definitions store: lifecycle, PATCH rules, audit history. */
class ExperimentServiceTest {
    private static final String ADA = "arn:aws:iam::123456789012:user/ada";
    private static final String BOB = "arn:aws:iam::123456789012:user/bob";
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final String KEY = "checkout-button";

    private final InMemoryDefinitionStore store = new InMemoryDefinitionStore();

    /** A service whose clock reads {@code T0 + minutes}. */
    private ExperimentService at(int minutes) {
        return new ExperimentService(store, Clock.fixed(T0.plusSeconds(60L * minutes), ZoneOffset.UTC));
    }

    private ExperimentService service() {
        return at(0);
    }

    private Experiment createFull() {
        return service().create(ExperimentJson.parseSpec(Json.parse(ExperimentJsonTest.FULL)), ADA);
    }

    /** Brings a fresh experiment to {@code status} through legal moves. */
    private Experiment createIn(ExperimentStatus status) {
        Experiment e = createFull();
        List<LifecycleAction> path = switch (status) {
            case DRAFT -> List.of();
            case RUNNING -> List.of(LifecycleAction.START);
            case PAUSED -> List.of(LifecycleAction.START, LifecycleAction.PAUSE);
            case COMPLETED -> List.of(LifecycleAction.START, LifecycleAction.COMPLETE);
            case ARCHIVED -> List.of(LifecycleAction.ARCHIVE);
        };
        for (LifecycleAction action : path) {
            e = service().transition(KEY, action, ADA);
        }
        assertEquals(status, e.status());
        return e;
    }

    private static JsonValue patch(String json) {
        return JsonValues.parse(json);
    }

    private static ApiException rejected(ErrorCode code, String field, Runnable call) {
        ApiException e = refused(call::run);
        assertEquals(code, e.code(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        return e;
    }

    // ------------------------------------------------------------------ create, get, list

    @Test
    void create_storesADraftAtVersion1() {
        Experiment e = createFull();

        assertEquals(ExperimentStatus.DRAFT, e.status());
        assertEquals(1, e.version());
        assertEquals(T0, e.createdAt());
        assertEquals(T0, e.updatedAt());
        assertNull(e.startedAt());
        assertNull(e.completedAt());
        assertEquals(e, service().get(KEY));
    }

    @Test
    void timestamps_haveMillisecondPrecision() {
        ExperimentService service = new ExperimentService(store, Clock.fixed(Instant.parse("2026-11-24T10:00:00.123456789Z"), ZoneOffset.UTC));

        Experiment e = service.create(ExperimentJson.parseSpec(Json.parse(ExperimentJsonTest.MINIMAL)), ADA);

        assertEquals(Instant.parse("2026-11-24T10:00:00.123Z"), e.createdAt());
    }

    @Test
    void createTwice_isAConflict() {
        createFull();

        rejected(ErrorCode.CONFLICT, "key", () -> createFull());
    }

    @Test
    void get_ofAnUnknownKey_isNotFound_andOfAMalformedKey_isInvalid() {
        rejected(ErrorCode.NOT_FOUND, null, () -> service().get("ghost"));
        rejected(ErrorCode.INVALID_REQUEST, "key", () -> service().get("Not A Key"));
    }

    @Test
    void list_isSortedByKey_andFiltersByStatus() {
        ExperimentService service = service();
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
    void transition_followsTheLifecycle(ExperimentStatus from, LifecycleAction action, boolean allowed) {
        Experiment before = createIn(from);
        InMemoryDefinitionStore.Contents itemsBefore = store.contents();

        if (allowed) {
            Experiment after = at(90).transition(KEY, action, BOB);

            assertEquals(action.to(), after.status());
            assertEquals(before.version() + 1, after.version());
            assertEquals(after, service().get(KEY));
            HistoryEntry last = service().history(KEY).get((int) after.version() - 1);
            assertEquals(action.json(), last.action());
            assertEquals(BOB, last.actor());
            assertEquals(Json.parse("{\"status\": {\"from\": \"" + from.json() + "\", \"to\": \"" + action.to().json() + "\"}}"),
                    JsonValues.node(last.changes()));
        } else {
            ApiException e = rejected(ErrorCode.CONFLICT, null, () -> at(90).transition(KEY, action, BOB));
            assertTrue(e.getMessage().contains("it is " + from.json()), e.getMessage());
            assertEquals(itemsBefore, store.contents());
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
    void lifecycle_setsStartedAtOnFirstStart_andCompletedAtOnComplete() {
        createFull();

        Experiment started = at(1).transition(KEY, LifecycleAction.START, ADA);
        Experiment paused = at(2).transition(KEY, LifecycleAction.PAUSE, ADA);
        Experiment resumed = at(3).transition(KEY, LifecycleAction.RESUME, ADA);
        Experiment completed = at(4).transition(KEY, LifecycleAction.COMPLETE, ADA);
        Experiment archived = at(5).transition(KEY, LifecycleAction.ARCHIVE, ADA);

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
        assertEquals(archived, service().get(KEY));
    }

    @Test
    void transition_ofAnUnknownExperiment_isNotFound() {
        rejected(ErrorCode.NOT_FOUND, null, () -> service().transition("ghost", LifecycleAction.START, ADA));
    }

    // ------------------------------------------------------------------ PATCH

    @Test
    void draft_mayChangeAnything() {
        createFull();

        Experiment updated = at(5).update(KEY, patch("""
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
        assertEquals(updated, service().get(KEY));
    }

    @Test
    void nullField_resetsItToItsDefault() {
        createFull();

        Experiment updated = service().update(KEY, patch(
                "{\"version\": 1, \"coverage\": null, \"confidenceLevel\": null, \"description\": null, \"overrides\": null}"), ADA);

        assertEquals(1.0, updated.spec().coverage());
        assertEquals(0.95, updated.spec().confidenceLevel());
        assertEquals("", updated.spec().description());
        assertEquals(Map.of(), updated.spec().overrides());
    }

    @Test
    void patchThatChangesNothing_answersTheExperiment_andWritesNothing() {
        Experiment created = createFull();
        InMemoryDefinitionStore.Contents before = store.contents();

        Experiment same = at(5).update(KEY, patch(
                "{\"version\": 1, \"key\": \"checkout-button\", \"coverage\": 0.8000, \"description\": \"Green buy button\"}"), BOB);

        assertEquals(created, same);
        assertEquals(before, store.contents());
    }

    @Test
    void staleVersion_isRejectedWithConflict() {
        createFull();
        service().update(KEY, patch("{\"version\": 1, \"description\": \"one\"}"), ADA);
        InMemoryDefinitionStore.Contents before = store.contents();

        ApiException e = rejected(ErrorCode.CONFLICT, "version",
                () -> service().update(KEY, patch("{\"version\": 1, \"description\": \"two\"}"), BOB));

        assertTrue(e.getMessage().contains("is at version 2, not 1"), e.getMessage());
        assertEquals(before, store.contents());
    }

    @Test
    void patchShape_isCheckedBeforeAnythingIsRead() {
        ExperimentService service = service();
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
    void mergedDefinition_isValidatedAsAWhole() {
        createFull();
        InMemoryDefinitionStore.Contents before = store.contents();

        rejected(ErrorCode.INVALID_REQUEST, "variants", () -> service().update(KEY, patch(
                "{\"version\": 1, \"variants\": [{\"key\": \"control\", \"weight\": 0.5}, {\"key\": \"green\", \"weight\": 0.6}]}"), ADA));
        rejected(ErrorCode.INVALID_REQUEST, "control", () -> service().update(KEY, patch(
                "{\"version\": 1, \"variants\": [{\"key\": \"base\", \"weight\": 0.5}, {\"key\": \"green\", \"weight\": 0.5}]}"), ADA));
        rejected(ErrorCode.INVALID_REQUEST, "coverage", () -> service().update(KEY, patch("{\"version\": 1, \"coverage\": 1.5}"), ADA));
        rejected(ErrorCode.INVALID_REQUEST, "multipleTesting", () -> service().update(KEY,
                patch("{\"version\": 1, \"multipleTesting\": \"fdr\"}"), ADA));

        assertEquals(before, store.contents());
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
    void sequentialTuning_isFrozenWhileRunning() {
        createIn(ExperimentStatus.RUNNING);
        InMemoryDefinitionStore.Contents before = store.contents();

        ApiException e = rejected(ErrorCode.CONFLICT, "expectedUnitsPerVariant", () -> service().update(KEY,
                patch("{\"version\": 2, \"expectedUnitsPerVariant\": 100000}"), BOB));

        assertTrue(e.getMessage().contains("tuned before the data"), e.getMessage());
        assertEquals(before, store.contents());
    }

    @Test
    void lookbackDays_isFrozenWhileRunning() {
        createIn(ExperimentStatus.RUNNING);
        InMemoryDefinitionStore.Contents before = store.contents();

        ApiException e = rejected(ErrorCode.CONFLICT, "lookbackDays", () -> service().update(KEY,
                patch("{\"version\": 2, \"lookbackDays\": 30}"), BOB));

        assertTrue(e.getMessage().contains("covariates over the old window"), e.getMessage());
        assertEquals(before, store.contents());
    }

    @Test
    void aggregateShards_isFrozenWhileRunning() {
        createIn(ExperimentStatus.RUNNING);
        InMemoryDefinitionStore.Contents before = store.contents();

        ApiException e = rejected(ErrorCode.CONFLICT, "aggregateShards", () -> service().update(KEY,
                patch("{\"version\": 2, \"aggregateShards\": 16}"), BOB));

        assertTrue(e.getMessage().contains("spread over 4 partitions"), e.getMessage());
        assertEquals(before, store.contents());
    }

    @Test
    void aggregateShards_changesInDraft_andNullMeansTheDefault() {
        createIn(ExperimentStatus.DRAFT);

        Experiment updated = service().update(KEY, patch("{\"version\": 1, \"aggregateShards\": 16}"), BOB);
        assertEquals(16, updated.spec().aggregateShards());
        assertEquals(16, service().get(KEY).spec().aggregateShards());

        Experiment reset = service().update(KEY, patch("{\"version\": 2, \"aggregateShards\": null}"), BOB);
        assertEquals(4, reset.spec().aggregateShards());
    }

    @Test
    void aggregateShards_nullWhileRunning_isTheDefault_soAChangeOnlyFrom8Or16() {
        createIn(ExperimentStatus.RUNNING);
        Experiment same = service().update(KEY, patch("{\"version\": 2, \"aggregateShards\": null}"), BOB);
        assertEquals(2, same.version(), "4 already: nothing changes, nothing is written");
        assertEquals(4, same.spec().aggregateShards());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("unitMovingPatches")
    void unitMovingFields_areFrozenWhileRunning(String field, String body) {
        createIn(ExperimentStatus.RUNNING);
        InMemoryDefinitionStore.Contents before = store.contents();

        ApiException e = rejected(ErrorCode.CONFLICT, field, () -> service().update(KEY, patch(body), BOB));

        assertTrue(e.getMessage().startsWith(field + " cannot change while the experiment is running"), e.getMessage());
        assertEquals(before, store.contents());
    }

    @Test
    void weights_areFrozenWhilePaused() {
        createIn(ExperimentStatus.PAUSED);

        rejected(ErrorCode.CONFLICT, "variants", () -> service().update(KEY, patch(
                "{\"version\": 3, \"variants\": [{\"key\": \"control\", \"weight\": 0.4}, {\"key\": \"green\", \"weight\": 0.6}]}"), ADA));
    }

    @Test
    void coverage_mayGrowWhileRunning_butNeverShrink() {
        createIn(ExperimentStatus.RUNNING);

        Experiment grown = service().update(KEY, patch("{\"version\": 2, \"coverage\": 0.9}"), ADA);
        assertEquals(0.9, grown.spec().coverage());

        InMemoryDefinitionStore.Contents before = store.contents();
        rejected(ErrorCode.CONFLICT, "coverage", () -> service().update(KEY, patch("{\"version\": 3, \"coverage\": 0.89}"), ADA));
        assertEquals(before, store.contents());
    }

    @Test
    void whileRunning_descriptionOverridesMetricsAndThresholds_mayChange() {
        createIn(ExperimentStatus.RUNNING);

        Experiment updated = service().update(KEY, patch("""
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
    void metricType_isFrozenWhileRunning() {
        createIn(ExperimentStatus.RUNNING);

        rejected(ErrorCode.CONFLICT, "metrics[1].type", () -> service().update(KEY, patch("""
                {"version": 2, "metrics": [{"key": "purchase", "type": "conversion"}, {"key": "revenue", "type": "conversion"}]}"""), ADA));
    }

    @ParameterizedTest
    @ValueSource(strings = {"COMPLETED", "ARCHIVED"})
    void finishedExperiment_onlyDescriptionMayChange(ExperimentStatus status) {
        Experiment e = createIn(status);

        rejected(ErrorCode.CONFLICT, "overrides", () -> service().update(KEY, patch(
                "{\"version\": " + e.version() + ", \"overrides\": {}}"), ADA));
        rejected(ErrorCode.CONFLICT, "coverage", () -> service().update(KEY, patch(
                "{\"version\": " + e.version() + ", \"coverage\": 1.0}"), ADA));
        Experiment described = service().update(KEY, patch(
                "{\"version\": " + e.version() + ", \"description\": \"shipped green\"}"), ADA);
        assertEquals("shipped green", described.spec().description());
        assertEquals(status, described.status());
    }

    // ------------------------------------------------------------------ history

    @Test
    void history_recordsActorActionVersionAndChanges() {
        createFull();
        at(1).update(KEY, patch("{\"version\": 1, \"description\": \"Greener\", \"coverage\": 1}"), BOB);
        at(2).transition(KEY, LifecycleAction.START, ADA);

        List<HistoryEntry> history = service().history(KEY);

        assertEquals(3, history.size());
        HistoryEntry create = history.get(0);
        assertEquals(new HistoryEntry(T0, ADA, "create", 1, create.changes()), create);
        // Through text, as the store keeps it, so that number nodes have the types a read gives back.
        assertEquals(Json.parseTrusted(Json.write(ExperimentJson.specToJson(ExperimentJson.parseSpec(Json.parse(ExperimentJsonTest.FULL))))),
                JsonValues.node(create.changes()));

        assertEquals(new HistoryEntry(T0.plusSeconds(60), BOB, "update", 2, JsonValues.of((ObjectNode) Json.parse("""
                {"description": {"from": "Green buy button", "to": "Greener"}, "coverage": {"from": 0.8, "to": 1.0}}"""))),
                history.get(1));
        assertEquals(new HistoryEntry(T0.plusSeconds(120), ADA, "start", 3,
                JsonValues.of((ObjectNode) Json.parse("{\"status\": {\"from\": \"draft\", \"to\": \"running\"}}"))), history.get(2));
    }

    @Test
    void history_recordsAddedAndRemovedFieldsAsNull() {
        createFull();

        service().update(KEY, patch("{\"version\": 1, \"namespace\": null}"), ADA);

        JsonNode changes = JsonValues.node(service().history(KEY).get(1).changes());
        assertEquals(Json.parse("{\"name\": \"checkout\", \"start\": 0.0, \"end\": 0.5}"), changes.get("namespace").get("from"));
        assertTrue(changes.get("namespace").get("to").isNull());
    }

    @Test
    void history_ofAnUnknownExperiment_isNotFound() {
        rejected(ErrorCode.NOT_FOUND, null, () -> service().history("ghost"));
    }
}
