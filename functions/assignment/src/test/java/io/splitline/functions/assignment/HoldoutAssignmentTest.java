package io.splitline.functions.assignment;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.aggregate.AggregateReader;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.experiment.LifecycleAction;
import io.splitline.holdout.HoldoutJson;
import io.splitline.holdout.HoldoutService;
import io.splitline.http.HandlerCalls;
import io.splitline.ingest.IngestTarget;
import io.splitline.json.Json;
import io.splitline.rollout.RolloutAction;
import io.splitline.rollout.RolloutJson;
import io.splitline.rollout.RolloutService;
import io.splitline.store.DefinitionStore;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import static io.splitline.functions.assignment.AssignmentHandlerTest.CLOCK;
import static io.splitline.functions.assignment.AssignmentHandlerTest.assign;
import static io.splitline.functions.assignment.AssignmentHandlerTest.createRunning;
import static io.splitline.functions.assignment.AssignmentHandlerTest.handler;
import static io.splitline.http.HandlerCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /assign} and the payload with a running holdout: the exact number of units held out (the
 * independent reference {@code holdout/counts.json} of the core module), their answers, the exposures
 * recorded for the holdout's comparison, and what a paused holdout changes.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class HoldoutAssignmentTest {
    static final String EXPERIMENT = """
            {"key": "hx", "holdout": "q1-holdout",
             "variants": [{"key": "control", "weight": 0.5, "config": {"c": 0}}, {"key": "treatment", "weight": 0.5, "config": {"c": 1}}]}""";

    static HoldoutService holdouts(LocalTables local) {
        return new HoldoutService(new DynamoDbDefinitionStore(local.client(), TableNames.fromLogicalIds(local.names()).definitions()), CLOCK);
    }

    static void startHoldout(LocalTables local) {
        holdouts(local).create(HoldoutJson.parseSpec(Json.parseTrusted("{\"key\": \"q1-holdout\", \"percent\": 5}")), "test");
        holdouts(local).transition("q1-holdout", LifecycleAction.START, "test");
    }

    static JsonNode answers(AssignmentHandler handler, String unitId, boolean track, String... keys) {
        APIGatewayProxyRequestEvent event = assign(Json.write(Json.object().put("unitId", unitId).put("track", track)
                .set("keys", Json.MAPPER.valueToTree(List.of(keys)))));
        var response = handler.handleRequest(event, null);
        assertEquals(200, response.getStatusCode(), response.getBody());
        return Json.parseTrusted(response.getBody()).get("assignments");
    }

    @Test
    void assign_holdsOutExactlyTheReferencesUnits(LocalTables local) throws IOException {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        startHoldout(local);
        createRunning(local.client(), tables, EXPERIMENT);
        AssignmentHandler handler = handler(local.client(), tables);
        JsonNode reference = reference();
        List<String> held = new ArrayList<>();
        int units = 0;
        for (String unit : referenceUnits()) {
            JsonNode a = answers(handler, unit, false, "hx").get("hx");
            units++;
            if (a.get("reason").asText().equals("holdout")) {
                held.add(unit);
                assertEquals("control", a.get("variant").asText());
                assertFalse(a.get("inExperiment").asBoolean());
                assertFalse(a.has("config"), "a held-out unit gets the control experience: no config");
            } else {
                assertEquals("hashed", a.get("reason").asText());
            }
        }
        JsonNode fivePercent = null;
        for (JsonNode c : reference.get("cases")) {
            if (c.get("seed").asText().equals("q1-holdout") && c.get("percent").asDouble() == 5) {
                fivePercent = c;
            }
        }
        assertEquals(reference.get("units").asInt(), units);
        assertEquals(fivePercent.get("heldOut").asInt(), held.size());
        assertEquals(Json.MAPPER.convertValue(fivePercent.get("first"), List.class), held.subList(0, 5));
        System.out.println("holdout at 5 %: " + held.size() + " of " + units + " units held out by /assign, as the reference");
    }

    @Test
    void trackedAnswers_recordEachUnitOnceInTheHoldoutsComparison_andHeldOutUnitsNowhereElse(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        startHoldout(local);
        createRunning(local.client(), tables, EXPERIMENT);
        RolloutService rollouts = new RolloutService(new DynamoDbDefinitionStore(local.client(), tables.definitions()), CLOCK);
        rollouts.create(RolloutJson.parseSpec(Json.parseTrusted(
                "{\"key\": \"hr\", \"holdout\": \"q1-holdout\", \"stages\": [{\"percent\": 50, \"bake\": \"PT1H\"}, {\"percent\": 100, \"bake\": \"PT1H\"}]}")), "test");
        rollouts.act("hr", RolloutAction.START, "test");
        AssignmentHandler handler = handler(local.client(), tables);
        int heldOut = 0;
        int treatment = 0;
        for (int u = 0; u < 400; u++) {
            JsonNode a = call(handler, assign("{\"unitId\": \"u-" + u + "\", \"keys\": [\"hx\", \"hr\"]}"), 200).get("assignments");
            assertEquals(a.get("hx").get("reason"), a.get("hr").get("reason"), "one holdout, one answer for both");
            if (a.get("hx").get("reason").asText().equals("holdout")) {
                heldOut++;
                assertEquals("control", a.get("hr").get("variant").asText());
            } else {
                treatment += a.get("hx").get("variant").asText().equals("treatment") ? 1 : 0;
            }
        }
        assertTrue(heldOut > 0);
        AssignmentHandlerTest.drain(local); // the stream fold counts the tracked exposures
        AggregateReader aggregates = new DynamoDbAggregateReader(local.client(), tables.aggregates());
        Map<String, VariantAggregates> comparison = aggregates.read("q1-holdout", IngestTarget.EXPERIMENT_SCOPE);
        assertEquals(heldOut, comparison.get("holdout").units());
        assertEquals(400 - heldOut, comparison.get("general").units());
        Map<String, VariantAggregates> experiment = aggregates.read("hx", IngestTarget.EXPERIMENT_SCOPE);
        assertEquals(treatment, experiment.get("treatment").units());
        assertEquals(400 - heldOut - treatment, experiment.get("control").units());
        long inRollout = aggregates.read("hr", IngestTarget.stageScope(0)).values().stream().mapToLong(VariantAggregates::units).sum();
        assertEquals(400 - heldOut, inRollout);
    }

    @Test
    void payload_carriesTheHoldoutRuleWhileItRuns_andAPausedHoldoutReleasesItsUnits(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        startHoldout(local);
        createRunning(local.client(), tables, EXPERIMENT);
        String heldUnit = "unit-76"; // held out at 5 % by the reference
        assertEquals("holdout", answers(handler(local.client(), tables), heldUnit, false, "hx").get("hx").get("reason").asText());
        JsonNode rules = Json.parseTrusted(handler(local.client(), tables).handleRequest(SdkPayloadHandlerTest.sample(), null)
                .getBody()).get("features").get("hx").get("rules");
        assertEquals(Json.parseTrusted("""
                {"id": "holdout:q1-holdout", "force": null, "hashAttribute": "id", "hashVersion": 2, "seed": "q1-holdout",
                 "range": [0.0, 0.05],
                 "tracks": [{"experiment": {"key": "q1-holdout", "variations": [null, null],
                                            "meta": [{"key": "holdout"}, {"key": "general"}], "hashAttribute": "id"},
                             "result": {"key": "holdout", "variationId": 0, "value": null, "inExperiment": true,
                                        "hashUsed": true, "hashAttribute": "id", "hashValue": ""}}]}"""), rules.get(0));
        assertEquals("experiment", rules.get(1).get("id").asText());

        holdouts(local).transition("q1-holdout", LifecycleAction.PAUSE, "test");
        AssignmentHandler fresh = handler(local.client(), tables);
        assertEquals("hashed", answers(fresh, heldUnit, false, "hx").get("hx").get("reason").asText());
        JsonNode paused = Json.parseTrusted(fresh.handleRequest(SdkPayloadHandlerTest.sample(), null).getBody());
        assertEquals(1, paused.get("features").get("hx").get("rules").size());
    }

    static JsonNode reference() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("splitline.repoRoot"),
                "core", "src", "test", "resources", "holdout", "counts.json"))) {
            return Json.MAPPER.readTree(in);
        }
    }

    /** The unit ids of the reference, in its order. */
    static List<String> referenceUnits() {
        List<String> units = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            units.add("unit-" + i);
        }
        for (int i = 0; i < 10_000; i++) {
            units.add("用户-" + i);
        }
        return units;
    }
}
