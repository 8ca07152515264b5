package io.splitline.functions.experiments;

import static io.splitline.functions.experiments.Fixtures.ADA;
import static io.splitline.functions.experiments.Fixtures.KEY;
import static io.splitline.functions.experiments.Fixtures.event;
import static io.splitline.functions.experiments.Fixtures.example;
import static io.splitline.functions.experiments.Fixtures.scan;
import static io.splitline.http.HandlerCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.LifecycleAction;
import io.splitline.http.HandlerCalls;
import io.splitline.json.Json;
import io.splitline.json.JsonValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every kind of bad request gets the documented status and error body, and leaves the definitions table
 * exactly as it was (compared item by item with a full scan).
 */
@ExtendWith(DynamoDbLocalExtension.class)
class BadRequestsTest {

    /** What exists before the request. */
    enum Seed { NOTHING, DRAFT, RUNNING, DRAFT_AT_VERSION_2 }

    record Case(String name, Seed seed, APIGatewayProxyRequestEvent event, int status, String error, String field) {
        @Override
        public String toString() {
            return name + " -> " + status + " " + error + (field == null ? "" : " @" + field);
        }
    }

    private static APIGatewayProxyRequestEvent create(String body) {
        return event("POST", "/experiments", null, null, body);
    }

    /** The example definition with one change. */
    private static APIGatewayProxyRequestEvent create(Consumer<ObjectNode> change) {
        ObjectNode body = example();
        change.accept(body);
        return create(Json.write(body));
    }

    private static APIGatewayProxyRequestEvent patch(String body) {
        return event("PATCH", "/experiments/{key}", KEY, null, body);
    }

    private static APIGatewayProxyRequestEvent action(String name, String key) {
        return event("POST", "/experiments/{key}/" + name, key, null, null);
    }

    private static ObjectNode variant(ObjectNode body, int i) {
        return (ObjectNode) body.get("variants").get(i);
    }

    static Stream<Case> badRequests() {
        List<Case> cases = new ArrayList<>();
        // ---- malformed bodies
        cases.add(new Case("malformed JSON", Seed.NOTHING, create("{\"key\": \"checkout-button\","), 400, "invalid_request", null));
        cases.add(new Case("trailing garbage", Seed.NOTHING, create(Fixtures.EXAMPLE + " }"), 400, "invalid_request", null));
        cases.add(new Case("duplicate JSON member", Seed.NOTHING, create("{\"key\": \"exp-a\", \"key\": \"exp-b\"}"), 400, "invalid_request", null));
        cases.add(new Case("non-object body", Seed.NOTHING, create("[\"checkout-button\"]"), 400, "invalid_request", null));
        cases.add(new Case("missing body", Seed.NOTHING, create((String) null), 400, "invalid_request", null));
        cases.add(new Case("body over 1 MiB", Seed.NOTHING,
                create(b -> b.put("description", "x".repeat(1024 * 1024))), 413, "payload_too_large", null));
        cases.add(new Case("definition over the stored limit", Seed.NOTHING,
                create(b -> variant(b, 0).putObject("config").put("blob", "x".repeat(200 * 1024))), 413, "payload_too_large", null));
        // ---- field validation on create
        cases.add(new Case("unknown field", Seed.NOTHING, create(b -> b.put("colour", "green")), 400, "invalid_request", "colour"));
        cases.add(new Case("missing key", Seed.NOTHING, create(b -> b.remove("key")), 400, "invalid_request", "key"));
        cases.add(new Case("bad key charset", Seed.NOTHING, create(b -> b.put("key", "Checkout Button")), 400, "invalid_request", "key"));
        cases.add(new Case("key too long", Seed.NOTHING, create(b -> b.put("key", "k".repeat(65))), 400, "invalid_request", "key"));
        cases.add(new Case("wrong type: coverage as string", Seed.NOTHING, create(b -> b.put("coverage", "all")), 400, "invalid_request", "coverage"));
        cases.add(new Case("wrong type: variants as object", Seed.NOTHING, create(b -> b.putObject("variants")), 400, "invalid_request", "variants"));
        cases.add(new Case("one variant only", Seed.NOTHING,
                create(b -> ((ArrayNode) b.get("variants")).remove(1)), 400, "invalid_request", "variants"));
        cases.add(new Case("weights not summing to 1", Seed.NOTHING,
                create(b -> variant(b, 1).put("weight", 0.6)), 400, "invalid_request", "variants"));
        cases.add(new Case("negative weight", Seed.NOTHING,
                create(b -> {
                    variant(b, 0).put("weight", -0.5);
                    variant(b, 1).put("weight", 1.5);
                }), 400, "invalid_request", "variants[0].weight"));
        cases.add(new Case("unknown control", Seed.NOTHING, create(b -> b.put("control", "blue")), 400, "invalid_request", "control"));
        cases.add(new Case("duplicate variant keys", Seed.NOTHING,
                create(b -> variant(b, 1).put("key", "control")), 400, "invalid_request", "variants[1].key"));
        cases.add(new Case("duplicate metric keys", Seed.NOTHING,
                create(b -> ((ObjectNode) b.get("metrics").get(1)).put("key", "purchase")), 400, "invalid_request", "metrics[1].key"));
        cases.add(new Case("unknown metric type", Seed.NOTHING,
                create(b -> ((ObjectNode) b.get("metrics").get(0)).put("type", "median")), 400, "invalid_request", "metrics[0].type"));
        cases.add(new Case("override to an unknown variant", Seed.NOTHING,
                create(b -> ((ObjectNode) b.get("overrides")).put("qa-user-1", "purple")), 400, "invalid_request", "overrides.qa-user-1"));
        cases.add(new Case("unknown targeting op", Seed.NOTHING,
                create(b -> b.set("targeting", Json.parse("{\"all\": [{\"attribute\": \"country\", \"op\": \"like\", \"value\": \"DE\"}]}"))),
                400, "invalid_request", "targeting.all[0].op"));
        cases.add(new Case("bad semver value", Seed.NOTHING,
                create(b -> b.set("targeting", Json.parse("{\"attribute\": \"appVersion\", \"op\": \"semver_gte\", \"value\": \"2.x\"}"))),
                400, "invalid_request", "targeting.value"));
        cases.add(new Case("bad regex", Seed.NOTHING,
                create(b -> b.set("targeting", Json.parse("{\"any\": [{\"attribute\": \"email\", \"op\": \"regex\", \"value\": \"(unclosed\"}]}"))),
                400, "invalid_request", "targeting.any[0].value"));
        cases.add(new Case("regex with a backreference (RE2 cannot match it in linear time)", Seed.NOTHING,
                create(b -> b.set("targeting", Json.parse("{\"attribute\": \"email\", \"op\": \"regex\", \"value\": \"(a+)+\\\\1$\"}"))),
                400, "invalid_request", "targeting.value"));
        cases.add(new Case("description with an unpaired surrogate", Seed.NOTHING,
                create(Fixtures.EXAMPLE.replace("Green buy button", "Green \\ud800 button")), 400, "invalid_request", "description"));
        cases.add(new Case("override id with an unpaired surrogate", Seed.NOTHING,
                create(Fixtures.EXAMPLE.replace("qa-user-1", "qa-\\udc00")), 400, "invalid_request", "overrides"));
        cases.add(new Case("variant config with an unpaired surrogate", Seed.NOTHING,
                create(Fixtures.EXAMPLE.replace("\"color\": \"blue\"", "\"color\": \"bl\\ud800ue\"")),
                400, "invalid_request", "variants[0].config.color"));
        cases.add(new Case("targeting value with an unpaired surrogate", Seed.NOTHING,
                create(Fixtures.EXAMPLE.replace("\"DE\"", "\"D\\udfffE\"")), 400, "invalid_request", "targeting.all[0].values[0]"));
        cases.add(new Case("coverage above 1", Seed.NOTHING, create(b -> b.put("coverage", 1.01)), 400, "invalid_request", "coverage"));
        cases.add(new Case("namespace end not after start", Seed.NOTHING,
                create(b -> ((ObjectNode) b.get("namespace")).put("end", 0.0)), 400, "invalid_request", "namespace.end"));
        cases.add(new Case("confidenceLevel of 1", Seed.NOTHING, create(b -> b.put("confidenceLevel", 1.0)), 400, "invalid_request", "confidenceLevel"));
        cases.add(new Case("minimumSampleSize of 0", Seed.NOTHING, create(b -> b.put("minimumSampleSize", 0)), 400, "invalid_request", "minimumSampleSize"));
        cases.add(new Case("expectedUnitsPerVariant below 10", Seed.NOTHING, create(b -> b.put("expectedUnitsPerVariant", 5)), 400, "invalid_request", "expectedUnitsPerVariant"));
        cases.add(new Case("unknown multipleTesting", Seed.NOTHING, create(b -> b.put("multipleTesting", "bonferroni")), 400, "invalid_request", "multipleTesting"));
        cases.add(new Case("duplicate key", Seed.DRAFT, create(Fixtures.EXAMPLE), 409, "conflict", "key"));
        // ---- reads
        cases.add(new Case("unknown experiment", Seed.DRAFT, event("GET", "/experiments/{key}", "ghost-button", null, null), 404, "not_found", null));
        cases.add(new Case("malformed key in the path", Seed.DRAFT, event("GET", "/experiments/{key}", "Checkout", null, null), 400, "invalid_request", "key"));
        cases.add(new Case("unknown status filter", Seed.DRAFT,
                event("GET", "/experiments", null, Map.of("status", "live"), null), 400, "invalid_request", "status"));
        cases.add(new Case("history of an unknown experiment", Seed.DRAFT,
                event("GET", "/experiments/{key}/history", "ghost-button", null, null), 404, "not_found", null));
        cases.add(new Case("history page of 500", Seed.DRAFT,
                event("GET", "/experiments/{key}/history", KEY, Map.of("limit", "500"), null), 400, "invalid_request", "limit"));
        cases.add(new Case("history token that no page gave", Seed.DRAFT,
                event("GET", "/experiments/{key}/history", KEY, Map.of("next", "not-a-token"), null), 400, "invalid_request", "next"));
        cases.add(new Case("history in an unknown order", Seed.DRAFT,
                event("GET", "/experiments/{key}/history", KEY, Map.of("order", "desc"), null), 400, "invalid_request", "order"));
        cases.add(new Case("route this function does not serve", Seed.DRAFT,
                event("DELETE", "/experiments/{key}", KEY, null, null), 404, "not_found", null));
        // ---- lifecycle
        cases.add(new Case("illegal transition: pause a draft", Seed.DRAFT, action("pause", KEY), 409, "conflict", null));
        cases.add(new Case("illegal transition: start a running experiment", Seed.RUNNING, action("start", KEY), 409, "conflict", null));
        cases.add(new Case("transition of an unknown experiment", Seed.DRAFT, action("start", "ghost-button"), 404, "not_found", null));
        // ---- PATCH
        cases.add(new Case("PATCH without version", Seed.DRAFT, patch("{\"description\": \"x\"}"), 400, "invalid_request", "version"));
        cases.add(new Case("PATCH with a string version", Seed.DRAFT, patch("{\"version\": \"1\"}"), 400, "invalid_request", "version"));
        cases.add(new Case("PATCH with a stale version", Seed.DRAFT_AT_VERSION_2, patch("{\"version\": 1, \"description\": \"x\"}"), 409, "conflict", "version"));
        cases.add(new Case("PATCH of status", Seed.DRAFT, patch("{\"version\": 1, \"status\": \"running\"}"), 400, "invalid_request", "status"));
        cases.add(new Case("PATCH changing the key", Seed.DRAFT, patch("{\"version\": 1, \"key\": \"other-button\"}"), 400, "invalid_request", "key"));
        cases.add(new Case("PATCH with an unknown field", Seed.DRAFT, patch("{\"version\": 1, \"colour\": \"red\"}"), 400, "invalid_request", "colour"));
        cases.add(new Case("PATCH with malformed JSON", Seed.DRAFT, patch("{\"version\": 1"), 400, "invalid_request", null));
        cases.add(new Case("PATCH producing an invalid definition", Seed.DRAFT,
                patch("{\"version\": 1, \"coverage\": -0.1}"), 400, "invalid_request", "coverage"));
        cases.add(new Case("PATCH of targeting with a lookahead regex", Seed.DRAFT,
                patch("{\"version\": 1, \"targeting\": {\"attribute\": \"email\", \"op\": \"regex\", \"value\": \"^(?!admin)\"}}"),
                400, "invalid_request", "targeting.value"));
        cases.add(new Case("PATCH of the description with an unpaired surrogate", Seed.DRAFT,
                patch("{\"version\": 1, \"description\": \"x\\ud800\"}"), 400, "invalid_request", "description"));
        cases.add(new Case("PATCH of an unknown experiment", Seed.DRAFT,
                event("PATCH", "/experiments/{key}", "ghost-button", null, "{\"version\": 1}"), 404, "not_found", null));
        cases.add(new Case("PATCH of weights while running", Seed.RUNNING, patch("""
                {"version": 2, "variants": [{"key": "control", "weight": 0.4, "config": {"color": "blue"}},
                                            {"key": "green", "weight": 0.6, "config": {"color": "green"}}]}"""),
                409, "conflict", "variants"));
        cases.add(new Case("PATCH of targeting while running", Seed.RUNNING, patch("{\"version\": 2, \"targeting\": null}"), 409, "conflict", "targeting"));
        cases.add(new Case("PATCH shrinking coverage while running", Seed.RUNNING, patch("{\"version\": 2, \"coverage\": 0.5}"), 409, "conflict", "coverage"));
        return cases.stream();
    }

    private static void seed(Seed seed, LocalTables tables) {
        ExperimentService service = Fixtures.service(tables);
        if (seed == Seed.NOTHING) {
            return;
        }
        service.create(ExperimentJson.parseSpec(example()), ADA);
        if (seed == Seed.RUNNING) {
            service.transition(KEY, LifecycleAction.START, ADA);
        }
        if (seed == Seed.DRAFT_AT_VERSION_2) {
            service.update(KEY, JsonValues.parse("{\"version\": 1, \"description\": \"second version\"}"), ADA);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequest_getsTheDocumentedError_andLeavesTheTableUnchanged(Case c, LocalTables tables) {
        // given
        seed(c.seed(), tables);
        List<Map<String, AttributeValue>> before = scan(tables);

        // when
        HandlerCalls.Answer response = call(Fixtures.handler(tables), c.event());

        // then
        assertEquals(c.status(), response.status(), response.body().toString());
        JsonNode body = response.body();
        assertEquals(List.of("error", "message", "field"), fieldNames(body));
        assertEquals(c.error(), body.get("error").textValue());
        assertEquals(c.field(), body.get("field").textValue(), body.toString());
        assertTrue(body.get("message").isTextual() && !body.get("message").textValue().isBlank());
        assertFalse(body.get("message").textValue().contains("Exception"), "no internals in " + body);
        assertEquals(before, scan(tables), "the table is unchanged");
    }

    @org.junit.jupiter.api.Test
    void theSuite_coversAtLeastTwentyDistinctBadRequests() {
        List<Case> cases = badRequests().toList();
        assertTrue(cases.size() >= 20);
        assertEquals(cases.size(), cases.stream().map(Case::name).distinct().count());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
