package io.splitline.functions.assignment;

import static io.splitline.functions.assignment.AssignmentHandlerTest.CLOCK;
import static io.splitline.functions.assignment.AssignmentHandlerTest.createRunning;
import static io.splitline.functions.assignment.AssignmentHandlerTest.handler;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.GrowthBookJs;
import io.splitline.devkit.LocalTables;
import io.splitline.experiment.LifecycleAction;
import io.splitline.holdout.HoldoutJson;
import io.splitline.holdout.HoldoutService;
import io.splitline.json.Json;
import io.splitline.rollout.RolloutAction;
import io.splitline.rollout.RolloutJson;
import io.splitline.rollout.RolloutService;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof that {@code GET /sdk/payload} means what {@code POST /assign} does: 100,000 units with random
 * attributes (non-ASCII and surrogate-pair ids among them) are evaluated by GrowthBook's own JavaScript
 * SDK from the payload ({@code sdk-check/evaluate.mjs}, Node) and by the real assignment handler; the
 * variant (or "outside") must agree for every unit, experiment and rollout stage. The definitions cover
 * weights and coverage below 1, a namespace, overrides and every targeting operator, on attribute values
 * chosen to sit on the edges (wrong types, versions in every form Splitline accepts or refuses, line
 * terminators after a regex match), and holdouts that some of them respect (a held-out unit must be
 * answered {@code holdout} by both).
 */
@ExtendWith(DynamoDbLocalExtension.class)
class GrowthBookSdkAgreementTest {
    static final int UNITS = 100_000;
    static final String ROLLOUT = "gb-rollout";
    static final int[] STAGES = {1, 5, 25, 50, 100};
    /** Holdouts some definitions respect (the rollout and the overrides experiment included): a share with a
     * fractional percent, and a wide one with its own seed. */
    static final List<String> HOLDOUTS = List.of("{\"key\": \"gb-holdout\", \"percent\": 7.5}",
            "{\"key\": \"gb-wide-holdout\", \"percent\": 50, \"seed\": \"another seed\"}");

    /** Definitions exercising each mapping; every one must be in the payload (none omitted). */
    static final List<String> EXPERIMENTS = List.of("""
            {"key": "gb-weights", "control": "va", "coverage": 0.7, "holdout": "gb-holdout",
             "variants": [{"key": "va", "weight": 0.2, "config": {"v": "a"}}, {"key": "vb", "weight": 0.3, "config": {"v": "b"}},
                          {"key": "vc", "weight": 0.5, "config": {"v": "c"}}]}""", """
            {"key": "gb-namespace", "coverage": 0.9, "holdout": "gb-holdout", "namespace": {"name": "gb-layer", "start": 0.25, "end": 0.6},
             "variants": [{"key": "control", "weight": 0.5}, {"key": "treatment", "weight": 0.5, "config": {"on": true}}]}""", """
            {"key": "gb-eq-in",
             "variants": [{"key": "control", "weight": 0.4}, {"key": "treatment", "weight": 0.6}],
             "targeting": {"all": [{"attribute": "plan", "op": "eq", "value": "pro"},
                                   {"attribute": "country", "op": "in", "values": ["DE", "FR", 42]},
                                   {"attribute": "tier", "op": "neq", "value": "gold"}]}}""", """
            {"key": "gb-numbers",
             "variants": [{"key": "control", "weight": 0.5}, {"key": "treatment", "weight": 0.5}],
             "targeting": {"any": [{"all": [{"attribute": "age", "op": "gt", "value": 30}, {"attribute": "age", "op": "lte", "value": 65}]},
                                   {"attribute": "score", "op": "lt", "value": 0.1},
                                   {"attribute": "score", "op": "gte", "value": 0.95}]}}""", """
            {"key": "gb-semver-gt",
             "variants": [{"key": "control", "weight": 0.5}, {"key": "treatment", "weight": 0.5}],
             "targeting": {"attribute": "appVersion", "op": "semver_gt", "value": "2.3.0"}}""", """
            {"key": "gb-semver-range",
             "variants": [{"key": "control", "weight": 0.5}, {"key": "treatment", "weight": 0.5}],
             "targeting": {"all": [{"attribute": "appVersion", "op": "semver_gte", "value": "1.10"},
                                   {"attribute": "appVersion", "op": "semver_lt", "value": "10.0.1"}]}}""", """
            {"key": "gb-semver-lte",
             "variants": [{"key": "control", "weight": 0.5}, {"key": "treatment", "weight": 0.5}],
             "targeting": {"attribute": "appVersion", "op": "semver_lte", "value": "v3"}}""", """
            {"key": "gb-regex", "holdout": "gb-holdout",
             "variants": [{"key": "control", "weight": 0.5}, {"key": "treatment", "weight": 0.5}],
             "targeting": {"any": [{"attribute": "email", "op": "regex", "value": "^[a-z0-9._]+@example\\\\.(com|org)$"},
                                   {"attribute": "name", "op": "regex", "value": "^(?:Dr|Prof) [A-Z]\\\\w*$"}]}}""", """
            {"key": "gb-exists-not", "holdout": "gb-wide-holdout",
             "variants": [{"key": "control", "weight": 0.5}, {"key": "treatment", "weight": 0.5}],
             "targeting": {"all": [{"attribute": "beta", "op": "exists"},
                                   {"not": {"attribute": "plan", "op": "in", "values": ["free"]}},
                                   {"attribute": "country", "op": "not_in", "values": ["US"]},
                                   {"attribute": "premium", "op": "exists", "value": false},
                                   {"not": {"any": []}}]}}""");

    @Test
    void growthBookJsSdk_agreesWithAssign_forEveryUnitExperimentAndRolloutStage(LocalTables local, @TempDir Path dir)
            throws IOException {
        GrowthBookJs sdk = GrowthBookJs.install(Path.of(System.getProperty("splitline.repoRoot")));
        TableNames tables = TableNames.fromLogicalIds(local.names());
        Random random = new Random(15);
        List<Unit> units = new ArrayList<>(UNITS);
        for (int i = 0; i < UNITS; i++) {
            units.add(new Unit(RandomUnits.unitId(random, i), RandomUnits.attributes(random)));
        }
        HoldoutService holdouts = new HoldoutService(new DynamoDbDefinitionStore(local.client(), tables.definitions()), CLOCK);
        for (String holdout : HOLDOUTS) {
            holdouts.transition(holdouts.create(HoldoutJson.parseSpec(Json.parseTrusted(holdout)), "test").key(),
                    LifecycleAction.START, "test");
        }
        List<String> keys = new ArrayList<>();
        for (String definition : EXPERIMENTS) {
            keys.add(Json.parseTrusted(definition).get("key").asText());
            createRunning(local.client(), tables, definition);
        }
        createRunning(local.client(), tables, overridesExperiment(units));
        keys.add("gb-overrides");
        RolloutService rollouts = new RolloutService(new DynamoDbDefinitionStore(local.client(), tables.definitions()), CLOCK);
        StringBuilder stages = new StringBuilder();
        for (int percent : STAGES) {
            stages.append(stages.isEmpty() ? "" : ", ").append("{\"percent\": ").append(percent).append(", \"bake\": \"PT1H\"}");
        }
        rollouts.create(RolloutJson.parseSpec(Json.parseTrusted("{\"key\": \"" + ROLLOUT + "\", \"holdout\": \"gb-holdout\", \"stages\": [" + stages + "]}")), "test");
        rollouts.act(ROLLOUT, RolloutAction.START, "test");
        keys.add(ROLLOUT);

        long heldOut = 0;
        long agreed = 0;
        long compared = 0;
        String speed = null;
        for (int stage = 0; stage < STAGES.length; stage++) {
            if (stage > 0) {
                rollouts.promote(ROLLOUT, STAGES[stage - 1], "test");
            }
            List<String> features = stage == 0 ? keys : List.of(ROLLOUT);
            AssignmentHandler handler = handler(local.client(), tables);
            JsonNode payload = Json.parseTrusted(handler.handleRequest(SdkPayloadHandlerTest.sample(), null).getBody());
            assertEquals(0, payload.get("omitted").size(), payload.get("omitted").toString());
            assertEquals(STAGES[stage] / 100.0, payload.get("features").get(ROLLOUT).get("rules").get(1).get("ranges").get(1).get(1).asDouble());

            Path input = dir.resolve("input-" + stage + ".json");
            writeInput(input, payload, features, units);
            GrowthBookJs.Evaluation evaluation = sdk.evaluate(input, dir.resolve("output-" + stage + ".tsv"));
            assertEquals(units.size(), evaluation.lines().size());
            speed = stage == 0 ? evaluation.summary() : speed;

            List<String> disagreements = new ArrayList<>();
            APIGatewayProxyRequestEvent event = AssignmentHandlerTest.assign("{}");
            for (int u = 0; u < units.size(); u++) {
                String[] sdkVariants = evaluation.lines().get(u).split("\t", -1);
                JsonNode answers = assign(handler, event, units.get(u), features);
                for (int f = 0; f < features.size(); f++) {
                    JsonNode a = answers.get(features.get(f));
                    String reason = a.get("reason").asText();
                    String expected = a.get("inExperiment").asBoolean() ? a.get("variant").asText()
                            : reason.equals("holdout") ? "holdout" : "-";
                    heldOut += reason.equals("holdout") ? 1 : 0;
                    compared++;
                    if (expected.equals(sdkVariants[f])) {
                        agreed++;
                    } else if (disagreements.size() < 20) {
                        disagreements.add(features.get(f) + " unit " + Json.write(Json.MAPPER.valueToTree(units.get(u))).replace("\u0085", "\\u0085")
                                .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
                                + ": /assign " + a + ", SDK " + sdkVariants[f]);
                    }
                }
            }
            assertTrue(disagreements.isEmpty(), "stage " + STAGES[stage] + "%: " + String.join("\n", disagreements));
        }
        System.out.printf("GrowthBook JS SDK agreement with /assign: %d of %d evaluations (%.3f %%), %d units, "
                + "%d experiments, rollout stages %s%n", agreed, compared, 100.0 * agreed / compared, units.size(),
                keys.size() - 1, java.util.Arrays.toString(STAGES));
        System.out.println("of which held out by a holdout: " + heldOut);
        assertTrue(heldOut > 0, "the holdouts hold units out");
        System.out.println("GrowthBook JS SDK speed (Node, not the JVM): " + speed);
        assertEquals(compared, agreed);
    }

    /** A unit and its attributes (String, Double or Boolean values, as /assign reads them). */
    record Unit(String id, Map<String, Object> attributes) {
    }

    /** Overrides win over targeting: a sample of units (ASCII and not) forced to both variants. */
    static String overridesExperiment(List<Unit> units) {
        ObjectNode spec = Json.object();
        spec.put("key", "gb-overrides");
        spec.put("holdout", "gb-holdout");
        spec.putArray("variants").add(Json.object().put("key", "control").put("weight", 0.5))
                .add(Json.object().put("key", "treatment").put("weight", 0.5).set("config", Json.object().put("big", true)));
        spec.set("targeting", Json.parseTrusted("{\"attribute\": \"country\", \"op\": \"eq\", \"value\": \"DE\"}"));
        ObjectNode overrides = spec.putObject("overrides");
        for (int i = 0; i < 200; i += 2) {
            overrides.put(units.get(i * 97 % units.size()).id(), i % 4 == 0 ? "treatment" : "control");
        }
        return Json.write(spec);
    }

    private static JsonNode assign(AssignmentHandler handler, APIGatewayProxyRequestEvent event, Unit unit, List<String> keys) {
        ObjectNode body = Json.object();
        body.put("unitId", unit.id());
        body.set("attributes", Json.MAPPER.valueToTree(unit.attributes()));
        body.set("keys", Json.MAPPER.valueToTree(keys));
        body.put("track", false);
        var response = handler.handleRequest(event.withBody(Json.write(body)), null);
        assertEquals(200, response.getStatusCode(), response.getBody());
        return Json.parseTrusted(response.getBody()).get("assignments");
    }

    private static void writeInput(Path file, JsonNode payload, List<String> features, List<Unit> units) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
             JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeFieldName("payload");
            Json.MAPPER.writeTree(json, payload);
            json.writeFieldName("features");
            Json.MAPPER.writeValue(json, features);
            json.writeArrayFieldStart("units");
            for (Unit unit : units) {
                json.writeStartObject();
                json.writeStringField("id", unit.id());
                json.writeFieldName("attributes");
                Json.MAPPER.writeValue(json, new LinkedHashMap<>(unit.attributes()));
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }
}
