package io.splitline.functions.experiments;

import static io.splitline.functions.experiments.Fixtures.KEY;
import static io.splitline.functions.experiments.Fixtures.event;
import static io.splitline.functions.experiments.Fixtures.scan;
import static io.splitline.http.HandlerCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.experiment.ExperimentLimits;
import io.splitline.http.HandlerCalls;
import io.splitline.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A variant config at the depth limit is stored, patched and read back on every route, the history
 * answer (the deepest document that carries it) included; one level more is refused at write time
 * naming the config. Before the limit existed, a config of 61 levels was accepted and its history
 * answered 500 for ever.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class ConfigDepthTest {

    /** A config object nesting {@code depth} levels ({@code {}} is 1): {"a": {"a": ... [ ... ]}}, arrays included. */
    private static ObjectNode config(int depth, String leaf) {
        JsonNode inner = Json.MAPPER.getNodeFactory().textNode(leaf);
        for (int level = 1; level < depth; level++) {
            inner = level % 2 == 0 ? Json.object().set("a", inner) : Json.array().add(inner);
        }
        return Json.object().set("a", inner);
    }

    private static String definition(ObjectNode config) {
        ObjectNode body = Fixtures.example();
        ((ObjectNode) body.get("variants").get(1)).set("config", config);
        return Json.write(body);
    }

    private static String patchOfVariants(ObjectNode config) {
        ObjectNode patch = Json.object().put("version", 1);
        patch.set("variants", Json.parse(definition(config)).get("variants"));
        return Json.write(patch);
    }

    @Test
    void configAtTheLimit_isCreatedPatchedAndReadableOnEveryRoute(LocalTables tables) {
        ExperimentsHandler handler = Fixtures.handler(tables);
        ObjectNode deepest = config(ExperimentLimits.MAX_CONFIG_DEPTH, "first");
        assertEquals(ExperimentLimits.MAX_CONFIG_DEPTH, Json.depth(deepest));

        assertEquals(201, call(handler, event("POST", "/experiments", null, null, definition(deepest))).status());
        ObjectNode changed = config(ExperimentLimits.MAX_CONFIG_DEPTH, "second");
        HandlerCalls.Answer patched = call(handler, event("PATCH", "/experiments/{key}", KEY, null, patchOfVariants(changed)));
        assertEquals(200, patched.status(), patched.body().toString());

        HandlerCalls.Answer got = call(handler, event("GET", "/experiments/{key}", KEY, null, null));
        HandlerCalls.Answer history = call(handler, event("GET", "/experiments/{key}/history", KEY, null, null));
        HandlerCalls.Answer list = call(handler, event("GET", "/experiments", null, null, null));

        assertEquals(200, got.status());
        assertEquals(changed, got.body().get("variants").get(1).get("config"));
        assertEquals(200, history.status(), history.body().toString());
        JsonNode update = history.body().get("entries").get(1).get("changes").get("variants");
        assertEquals(deepest, update.get("from").get(1).get("config"));
        assertEquals(changed, update.get("to").get(1).get("config"));
        assertEquals(Json.MAX_DEPTH, Json.depth(history.body()), "the history answer is exactly as deep as may be read");
        assertEquals(200, list.status());
    }

    @Test
    void configOneLevelDeeper_isRefusedAtCreate_namingTheConfig(LocalTables tables) {
        ExperimentsHandler handler = Fixtures.handler(tables);

        HandlerCalls.Answer created = call(handler, event("POST", "/experiments", null, null,
                definition(config(ExperimentLimits.MAX_CONFIG_DEPTH + 1, "x"))));

        assertEquals(400, created.status());
        assertEquals("variants[1].config", created.body().get("field").textValue());
        assertTrue(created.body().get("message").textValue().contains("at most " + ExperimentLimits.MAX_CONFIG_DEPTH),
                created.body().toString());
        assertEquals(List.of(), scan(tables));
    }

    @Test
    void configOneLevelDeeper_isRefusedAtPatch_namingTheConfig(LocalTables tables) {
        ExperimentsHandler handler = Fixtures.handler(tables);
        assertEquals(201, call(handler, event("POST", "/experiments", null, null, Fixtures.EXAMPLE)).status());
        List<Map<String, AttributeValue>> before = scan(tables);

        HandlerCalls.Answer patched = call(handler, event("PATCH", "/experiments/{key}", KEY, null,
                patchOfVariants(config(ExperimentLimits.MAX_CONFIG_DEPTH + 1, "x"))));

        assertEquals(400, patched.status());
        assertEquals("variants[1].config", patched.body().get("field").textValue());
        assertEquals(before, scan(tables));
        assertEquals(200, call(handler, event("GET", "/experiments/{key}/history", KEY, null, null)).status());
    }

    @Test
    void theReportedCase_61Levels_isRefusedInsteadOfBreakingTheHistory(LocalTables tables) {
        HandlerCalls.Answer created = call(Fixtures.handler(tables), event("POST", "/experiments", null, null,
                definition(config(61, "x"))));

        assertEquals(400, created.status(), created.body().toString());
        assertEquals("variants[1].config", created.body().get("field").textValue());
    }
}
