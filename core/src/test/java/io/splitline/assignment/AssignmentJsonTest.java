package io.splitline.assignment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.error.InvalidFieldException;
import io.splitline.json.Json;
import io.splitline.json.JsonValue;
import io.splitline.json.JsonValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AssignmentJsonTest {

    private static AssignRequest parse(String body) {
        return AssignmentJson.parseRequest(Json.parse(body));
    }

    @Test
    void fullRequest_isParsed() {
        AssignRequest r = parse("""
                {"unitId": "user-42", "attributes": {"country": "DE", "appVersion": "2.4.0", "age": 42, "beta": true},
                 "keys": ["checkout-button", "new-ranker"], "track": false}""");

        assertEquals("user-42", r.unitId());
        assertEquals(Map.of("country", "DE", "appVersion", "2.4.0", "age", 42.0, "beta", true), r.attributes());
        assertEquals(List.of("checkout-button", "new-ranker"), r.keys());
        assertFalse(r.allKeys());
        assertFalse(r.track());
    }

    @Test
    void covariates_areMetricKeysToNumbers_atMostTwenty_namingTheFieldOtherwise() {
        AssignRequest r = parse("{\"unitId\": \"u\", \"covariates\": {\"revenue\": 12.5, \"sessions\": 3, \"zero\": 0}}");
        assertEquals(Map.of("revenue", new java.math.BigDecimal("12.5"), "sessions", new java.math.BigDecimal("3")), r.covariates(),
                "a 0 covariate is the default and is not kept");
        assertEquals(Map.of(), parse("{\"unitId\": \"u\"}").covariates());

        StringBuilder many = new StringBuilder("{\"unitId\": \"u\", \"covariates\": {");
        for (int i = 0; i < 21; i++) {
            many.append(i == 0 ? "" : ",").append("\"m").append(i).append("\": 1");
        }
        for (String bad : List.of("{\"unitId\": \"u\", \"covariates\": {\"revenue\": \"12\"}}",
                "{\"unitId\": \"u\", \"covariates\": {\"not a key\": 1}}", "{\"unitId\": \"u\", \"covariates\": [1]}",
                many + "}}")) {
            InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> parse(bad), bad);
            assertTrue(e.field().startsWith("covariates"), e.field());
        }
    }

    @Test
    void minimalRequest_getsTheDefaults() {
        AssignRequest r = parse("{\"unitId\": \"user-42\"}");

        assertEquals(Map.of(), r.attributes());
        assertTrue(r.allKeys(), "no keys means every running experiment and active rollout");
        assertTrue(r.track(), "track defaults to true");
    }

    @Test
    void nullOptionalFields_countAsAbsent() {
        AssignRequest r = parse("{\"unitId\": \"u\", \"attributes\": null, \"keys\": null, \"track\": null}");

        assertEquals(Map.of(), r.attributes());
        assertTrue(r.allKeys());
        assertTrue(r.track());
    }

    @Test
    void numbers_areDoubles_andNegativeZeroIsZero() {
        AssignRequest r = parse("{\"unitId\": \"u\", \"attributes\": {\"a\": 3, \"b\": -0, \"c\": -0.0, \"d\": 1e300, \"e\": 2.5}}");

        assertEquals(3.0, r.attributes().get("a"));
        assertEquals(0.0, r.attributes().get("b"));
        assertEquals(0.0, r.attributes().get("c"));
        assertEquals(1e300, r.attributes().get("d"));
        assertEquals(2.5, r.attributes().get("e"));
    }

    @Test
    void duplicateKeys_collapse_inRequestOrder() {
        assertEquals(List.of("b-exp", "a-exp"), parse("{\"unitId\": \"u\", \"keys\": [\"b-exp\", \"a-exp\", \"b-exp\"]}").keys());
    }

    @Test
    void emptyKeys_askForNothing() {
        AssignRequest r = parse("{\"unitId\": \"u\", \"keys\": []}");
        assertFalse(r.allKeys());
        assertEquals(List.of(), r.keys());
    }

    @Test
    void limits_areInclusive() {
        ObjectNode body = Json.object().put("unitId", "u".repeat(256));
        ObjectNode attributes = body.putObject("attributes");
        for (int i = 0; i < 49; i++) {
            attributes.put("a" + i, i);
        }
        attributes.put("n".repeat(64), "s".repeat(1024));
        var keys = body.putArray("keys");
        for (int i = 0; i < 100; i++) {
            keys.add("key-" + i);
        }

        AssignRequest r = AssignmentJson.parseRequest(body);

        assertEquals(50, r.attributes().size());
        assertEquals(100, r.keys().size());
        assertEquals(256, r.unitId().length());
    }

    static Stream<Arguments> badRequests() {
        String ok = "\"unitId\": \"u\"";
        return Stream.of(
                Arguments.of("body is an array", "[]", null),
                Arguments.of("body is a string", "\"user-42\"", null),
                Arguments.of("unknown field", "{" + ok + ", \"user\": \"x\"}", "user"),
                Arguments.of("unitId missing", "{\"keys\": []}", "unitId"),
                Arguments.of("unitId null", "{\"unitId\": null}", "unitId"),
                Arguments.of("unitId a number", "{\"unitId\": 42}", "unitId"),
                Arguments.of("unitId empty", "{\"unitId\": \"\"}", "unitId"),
                Arguments.of("unitId too long", "{\"unitId\": \"" + "u".repeat(257) + "\"}", "unitId"),
                Arguments.of("unitId with a control character", "{\"unitId\": \"user\\n42\"}", "unitId"),
                Arguments.of("attributes an array", "{" + ok + ", \"attributes\": []}", "attributes"),
                Arguments.of("attributes a string", "{" + ok + ", \"attributes\": \"DE\"}", "attributes"),
                Arguments.of("attribute value an object", "{" + ok + ", \"attributes\": {\"geo\": {\"country\": \"DE\"}}}", "attributes.geo"),
                Arguments.of("attribute value an array", "{" + ok + ", \"attributes\": {\"tags\": [\"a\"]}}", "attributes.tags"),
                Arguments.of("attribute value null", "{" + ok + ", \"attributes\": {\"country\": null}}", "attributes.country"),
                Arguments.of("attribute number not finite", "{" + ok + ", \"attributes\": {\"big\": 1e400}}", "attributes.big"),
                Arguments.of("attribute string too long", "{" + ok + ", \"attributes\": {\"s\": \"" + "x".repeat(1025) + "\"}}", "attributes.s"),
                Arguments.of("attribute name empty", "{" + ok + ", \"attributes\": {\"\": 1}}", "attributes."),
                Arguments.of("attribute name too long", "{" + ok + ", \"attributes\": {\"" + "n".repeat(65) + "\": 1}}", "attributes." + "n".repeat(65)),
                Arguments.of("too many attributes", "{" + ok + ", \"attributes\": " + manyAttributes(51) + "}", "attributes"),
                Arguments.of("keys an object", "{" + ok + ", \"keys\": {}}", "keys"),
                Arguments.of("keys a string", "{" + ok + ", \"keys\": \"checkout-button\"}", "keys"),
                Arguments.of("key not a string", "{" + ok + ", \"keys\": [\"ok-key\", 7]}", "keys[1]"),
                Arguments.of("key with upper case", "{" + ok + ", \"keys\": [\"Checkout\"]}", "keys[0]"),
                Arguments.of("key empty", "{" + ok + ", \"keys\": [\"\"]}", "keys[0]"),
                Arguments.of("key too long", "{" + ok + ", \"keys\": [\"" + "k".repeat(65) + "\"]}", "keys[0]"),
                Arguments.of("too many keys", "{" + ok + ", \"keys\": " + manyKeys(101) + "}", "keys"),
                Arguments.of("track a string", "{" + ok + ", \"track\": \"yes\"}", "track"),
                Arguments.of("track a number", "{" + ok + ", \"track\": 1}", "track"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequest_isInvalidRequest_namingTheField(String scenario, String body, String field) {
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> parse(body));

        assertEquals(field, e.field());
    }

    @Test
    void malformedJson_isInvalidRequest() {
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> parse("{\"unitId\": \"u\""));
        InvalidFieldException duplicate = assertThrows(InvalidFieldException.class, () -> parse("{\"unitId\": \"u\", \"unitId\": \"v\"}"));
    }

    private static String manyAttributes(int n) {
        ObjectNode attributes = Json.object();
        for (int i = 0; i < n; i++) {
            attributes.put("a" + i, i);
        }
        return attributes.toString();
    }

    private static String manyKeys(int n) {
        var keys = Json.array();
        for (int i = 0; i < n; i++) {
            keys.add("key-" + i);
        }
        return keys.toString();
    }

    @Test
    void response_hasTheContractShape_withConfigOnlyForUnitsInside() {
        JsonValue.JsonObject green = JsonValues.of(Json.object().put("color", "green"));
        Map<String, Assignment> assignments = new LinkedHashMap<>();
        assignments.put("checkout-button", new Assignment("green", true, AssignmentReason.HASHED, green));
        assignments.put("new-ranker", new Assignment("control", false, AssignmentReason.NOT_COVERED, null));
        assignments.put("no-config", new Assignment("b", true, AssignmentReason.OVERRIDE, null));
        assignments.put("gone", Assignment.unknownKey());

        JsonNode body = AssignmentJson.response("user-42", assignments);

        assertEquals(Json.parse("""
                {"unitId": "user-42", "assignments": {
                  "checkout-button": {"variant": "green", "inExperiment": true, "reason": "hashed", "config": {"color": "green"}},
                  "new-ranker": {"variant": "control", "inExperiment": false, "reason": "not_covered"},
                  "no-config": {"variant": "b", "inExperiment": true, "reason": "override"},
                  "gone": {"variant": null, "inExperiment": false, "reason": "unknown_key"}}}"""), body);
        assertEquals(List.of("checkout-button", "new-ranker", "no-config", "gone"), fieldNames(body.get("assignments")));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
