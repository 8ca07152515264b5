package io.splitline.functions.experiments;

import static io.splitline.functions.experiments.Fixtures.ADA;
import static io.splitline.functions.experiments.Fixtures.event;
import static io.splitline.http.HandlerCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.http.HandlerCalls;
import io.splitline.json.Json;
import io.splitline.json.JsonValues;
import io.splitline.notify.Notification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The rollout routes of the management function, through the real handler on DynamoDB Local. */
@ExtendWith(DynamoDbLocalExtension.class)
class RolloutsHandlerTest {
    private static final String MINIMAL = """
            {"key": "new-ranker", "stages": [{"percent": 10, "bake": "PT1H"}, {"percent": 100, "bake": "PT0S"}]}""";

    @Test
    void create_answers201WithTheStoredForm_defaultsExplicit(LocalTables tables) {
        HandlerCalls.Answer created = call(Fixtures.handler(tables), event("POST", "/rollouts", null, null, MINIMAL));

        assertEquals(201, created.status());
        assertEquals(Json.parse("""
                {"key": "new-ranker", "description": "",
                 "stages": [{"percent": 10, "bake": "PT1H"}, {"percent": 100, "bake": "PT0S"}],
                 "health": {"metrics": [], "ratios": [], "alarms": [], "minimumDataPoints": 1, "guardrails": [],
                            "alpha": 0.05, "minimumUnitsPerArm": 200},
                 "status": "draft", "stageIndex": 0, "percent": 0, "stageStartedAt": null, "version": 1,
                 "lastDecision": {"at": "2026-11-24T10:00:00Z", "actor": "arn:aws:iam::123456789012:user/ada",
                                  "decision": "manual", "fromPercent": 0, "toPercent": 0, "reason": "create",
                                  "observations": null},
                 "createdAt": "2026-11-24T10:00:00Z", "updatedAt": "2026-11-24T10:00:00Z"}"""), created.body());
    }

    @Test
    void invalidDefinition_is400WithTheFieldPath_andNothingIsStored(LocalTables tables) {
        HandlerCalls.Answer bad = call(Fixtures.handler(tables), event("POST", "/rollouts", null, null,
                MINIMAL.replace("\"percent\": 100", "\"percent\": 90")));

        assertEquals(400, bad.status());
        assertEquals("invalid_request", bad.body().get("error").textValue());
        assertEquals("stages[1].percent", bad.body().get("field").textValue());
        assertEquals(0, call(Fixtures.handler(tables), event("GET", "/rollouts", null, null, null)).body().get("rollouts").size());
    }

    @Test
    void operatorsMoves_arePublishedAfterTheyAreStored_andIllegalOnesAreNot(LocalTables tables) {
        List<Notification> published = new ArrayList<>();
        ExperimentsHandler handler = Fixtures.handler(tables, published::add);
        call(handler, event("POST", "/rollouts", null, null, MINIMAL));
        call(handler, event("POST", "/experiments", null, null, Fixtures.EXAMPLE));

        assertEquals(409, call(handler, event("POST", "/rollouts/{key}/pause", "new-ranker", null, null)).status());
        for (String action : List.of("start", "pause")) {
            assertEquals(200, call(handler, event("POST", "/rollouts/{key}/" + action, "new-ranker", null, null)).status(), action);
        }
        for (int from : new int[] {10, 100}) {
            assertEquals(200, call(handler, event("POST", "/rollouts/{key}/promote", "new-ranker", null,
                    "{\"fromPercent\": " + from + "}")).status(), "promote from " + from);
        }
        call(handler, event("POST", "/rollouts", null, null, MINIMAL.replace("new-ranker", "old-ranker")));
        assertEquals(200, call(handler, event("POST", "/rollouts/{key}/abort", "old-ranker", null, null)).status());
        for (String action : List.of("start", "complete")) {
            assertEquals(200, call(handler, event("POST", "/experiments/{key}/" + action, "checkout-button", null, null)).status(), action);
        }

        assertEquals(List.of(Notification.ROLLOUT_PAUSED, Notification.ROLLOUT_STAGE_ADVANCED, Notification.ROLLOUT_COMPLETED,
                        Notification.ROLLOUT_ABORTED, Notification.EXPERIMENT_STARTED, Notification.EXPERIMENT_COMPLETED),
                published.stream().map(Notification::detailType).toList(), "promote at the last stage completes");
        Notification paused = published.get(0);
        assertEquals("new-ranker", JsonValues.node(paused.detail()).get("rollout").textValue());
        assertEquals(Fixtures.ADA, JsonValues.node(paused.detail()).get("actor").textValue());
        assertEquals(10, JsonValues.node(paused.detail()).get("percent").intValue());
        assertEquals("old-ranker", JsonValues.node(published.get(3).detail()).get("rollout").textValue());
        assertEquals("checkout-button", JsonValues.node(published.get(4).detail()).get("experiment").textValue());
    }

    @Test
    void aNotificationThatCannotBePublished_leavesTheMoveStoredAndAnswered(LocalTables tables) {
        ExperimentsHandler handler = Fixtures.handler(tables, notification -> {
            throw new IllegalStateException("bus unavailable");
        });
        call(handler, event("POST", "/rollouts", null, null, MINIMAL));
        call(handler, event("POST", "/rollouts/{key}/start", "new-ranker", null, null));

        HandlerCalls.Answer paused = call(handler, event("POST", "/rollouts/{key}/pause", "new-ranker", null, null));

        assertEquals(200, paused.status());
        assertEquals("paused", call(handler, event("GET", "/rollouts/{key}", "new-ranker", null, null)).body().get("status").textValue());
    }

    @Test
    void lifecycle_throughTheRoutes_withConflictsAndHistory(LocalTables tables) {
        ExperimentsHandler handler = Fixtures.handler(tables);
        call(handler, event("POST", "/rollouts", null, null, MINIMAL));

        HandlerCalls.Answer pauseDraft = call(handler, event("POST", "/rollouts/{key}/pause", "new-ranker", null, null));
        HandlerCalls.Answer started = call(handler, event("POST", "/rollouts/{key}/start", "new-ranker", null, null));
        HandlerCalls.Answer promoteWithoutStage = call(handler, event("POST", "/rollouts/{key}/promote", "new-ranker", null, null));
        HandlerCalls.Answer promoted = call(handler, event("POST", "/rollouts/{key}/promote", "new-ranker", null, "{\"fromPercent\": 10}"));
        HandlerCalls.Answer promotedAgain = call(handler, event("POST", "/rollouts/{key}/promote", "new-ranker", null, "{\"fromPercent\": 10}"));
        HandlerCalls.Answer aborted = call(handler, event("POST", "/rollouts/{key}/abort", "new-ranker", null, null));
        HandlerCalls.Answer history = call(handler, event("GET", "/rollouts/{key}/history", "new-ranker", null, null));

        assertEquals(409, pauseDraft.status());
        assertEquals("conflict", pauseDraft.body().get("error").textValue());
        assertEquals(10, started.body().get("percent").intValue());
        assertEquals(400, promoteWithoutStage.status());
        assertEquals("fromPercent", promoteWithoutStage.body().get("field").textValue());
        assertEquals(409, promotedAgain.status());
        assertEquals("fromPercent", promotedAgain.body().get("field").textValue());
        assertEquals(100, promoted.body().get("percent").intValue());
        assertEquals("in_progress", promoted.body().get("status").textValue());
        assertEquals(0, aborted.body().get("percent").intValue());
        assertEquals("aborted", aborted.body().get("status").textValue());
        JsonNode entries = history.body().get("entries");
        assertEquals(4, entries.size());
        JsonNode abort = entries.get(3);
        assertEquals(Json.parse("""
                {"at": "2026-11-24T10:00:00Z", "actor": "arn:aws:iam::123456789012:user/ada", "version": 4,
                 "decision": "manual", "fromPercent": 100, "toPercent": 0, "status": "aborted", "stageIndex": 1,
                 "reason": "abort", "observations": null}"""), abort);
        assertEquals(ADA, entries.get(0).get("actor").textValue());
    }

    @Test
    void unknownRollout_is404_badKey400_badStatus400(LocalTables tables) {
        ExperimentsHandler handler = Fixtures.handler(tables);

        assertEquals(404, call(handler, event("GET", "/rollouts/{key}", "ghost", null, null)).status());
        assertEquals(404, call(handler, event("POST", "/rollouts/{key}/start", "ghost", null, null)).status());
        assertEquals(404, call(handler, event("GET", "/rollouts/{key}/history", "ghost", null, null)).status());
        HandlerCalls.Answer badKey = call(handler, event("GET", "/rollouts/{key}", "NOPE!", null, null));
        assertEquals(400, badKey.status());
        assertEquals("key", badKey.body().get("field").textValue());
        HandlerCalls.Answer badStatus = call(handler, event("GET", "/rollouts", null, Map.of("status", "running"), null));
        assertEquals(400, badStatus.status());
        assertTrue(badStatus.body().get("message").textValue().contains("in_progress"));
    }
}
