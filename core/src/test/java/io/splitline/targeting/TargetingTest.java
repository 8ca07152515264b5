package io.splitline.targeting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.error.InvalidFieldException;
import io.splitline.json.Json;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing of targeting rules: every error names its field, and {@code parse(toJson(c))} gives back {@code c}. */
class TargetingTest {

    private static Condition parse(JsonNode node) {
        return Targeting.parse(node, "targeting");
    }

    private static Condition parse(String json) {
        return parse(Json.parse(json));
    }

    static Stream<Arguments> badRules() {
        return Stream.of(
                Arguments.of("not an object", "\"country == DE\"", "targeting"),
                Arguments.of("an array", "[]", "targeting"),
                Arguments.of("empty object", "{}", "targeting.attribute"),
                Arguments.of("unknown field", "{\"attribute\": \"c\", \"op\": \"eq\", \"value\": 1, \"negate\": true}", "targeting.negate"),
                Arguments.of("attribute missing", "{\"op\": \"eq\", \"value\": 1}", "targeting.attribute"),
                Arguments.of("attribute not a string", "{\"attribute\": 7, \"op\": \"eq\", \"value\": 1}", "targeting.attribute"),
                Arguments.of("attribute empty", "{\"attribute\": \"\", \"op\": \"eq\", \"value\": 1}", "targeting.attribute"),
                Arguments.of("attribute too long", "{\"attribute\": \"" + "a".repeat(65) + "\", \"op\": \"eq\", \"value\": 1}", "targeting.attribute"),
                Arguments.of("op missing", "{\"attribute\": \"c\", \"value\": 1}", "targeting.op"),
                Arguments.of("op unknown", "{\"attribute\": \"c\", \"op\": \"contains\", \"value\": 1}", "targeting.op"),
                Arguments.of("op in upper case", "{\"attribute\": \"c\", \"op\": \"EQ\", \"value\": 1}", "targeting.op"),
                Arguments.of("eq without value", "{\"attribute\": \"c\", \"op\": \"eq\"}", "targeting.value"),
                Arguments.of("eq with null value", "{\"attribute\": \"c\", \"op\": \"eq\", \"value\": null}", "targeting.value"),
                Arguments.of("eq with values", "{\"attribute\": \"c\", \"op\": \"eq\", \"values\": [1]}", "targeting.values"),
                Arguments.of("eq with an object", "{\"attribute\": \"c\", \"op\": \"eq\", \"value\": {}}", "targeting.value"),
                Arguments.of("eq with an array", "{\"attribute\": \"c\", \"op\": \"eq\", \"value\": [1]}", "targeting.value"),
                Arguments.of("eq with a too long string", "{\"attribute\": \"c\", \"op\": \"eq\", \"value\": \"" + "x".repeat(257) + "\"}", "targeting.value"),
                Arguments.of("eq with an infinite number", "{\"attribute\": \"c\", \"op\": \"eq\", \"value\": 1e999}", "targeting.value"),
                Arguments.of("in with value", "{\"attribute\": \"c\", \"op\": \"in\", \"value\": \"DE\"}", "targeting.value"),
                Arguments.of("in without values", "{\"attribute\": \"c\", \"op\": \"in\"}", "targeting.values"),
                Arguments.of("in with values not an array", "{\"attribute\": \"c\", \"op\": \"in\", \"values\": \"DE\"}", "targeting.values"),
                Arguments.of("in with empty values", "{\"attribute\": \"c\", \"op\": \"in\", \"values\": []}", "targeting.values"),
                Arguments.of("in with a nested array", "{\"attribute\": \"c\", \"op\": \"in\", \"values\": [\"DE\", [\"FR\"]]}", "targeting.values[1]"),
                Arguments.of("not_in with a null", "{\"attribute\": \"c\", \"op\": \"not_in\", \"values\": [\"DE\", null]}", "targeting.values[1]"),
                Arguments.of("gt with a string", "{\"attribute\": \"n\", \"op\": \"gt\", \"value\": \"18\"}", "targeting.value"),
                Arguments.of("lte with a boolean", "{\"attribute\": \"n\", \"op\": \"lte\", \"value\": true}", "targeting.value"),
                Arguments.of("semver_gte with a number", "{\"attribute\": \"v\", \"op\": \"semver_gte\", \"value\": 2}", "targeting.value"),
                Arguments.of("semver_gte with no version", "{\"attribute\": \"v\", \"op\": \"semver_gte\", \"value\": \"latest\"}", "targeting.value"),
                Arguments.of("semver_lt with four parts", "{\"attribute\": \"v\", \"op\": \"semver_lt\", \"value\": \"1.2.3.4\"}", "targeting.value"),
                Arguments.of("regex invalid", "{\"attribute\": \"ua\", \"op\": \"regex\", \"value\": \"(Mobile\"}", "targeting.value"),
                Arguments.of("regex not a string", "{\"attribute\": \"ua\", \"op\": \"regex\", \"value\": 5}", "targeting.value"),
                Arguments.of("exists with a string", "{\"attribute\": \"c\", \"op\": \"exists\", \"value\": \"yes\"}", "targeting.value"),
                Arguments.of("exists with values", "{\"attribute\": \"c\", \"op\": \"exists\", \"values\": [true]}", "targeting.values"),
                Arguments.of("all not an array", "{\"all\": {\"attribute\": \"c\", \"op\": \"exists\"}}", "targeting.all"),
                Arguments.of("all element not an object", "{\"all\": [1]}", "targeting.all[0]"),
                Arguments.of("all and any together", "{\"all\": [], \"any\": []}", "targeting.any"),
                Arguments.of("all with a comparison beside it", "{\"all\": [], \"attribute\": \"c\"}", "targeting.attribute"),
                Arguments.of("not with an extra field", "{\"not\": {\"attribute\": \"c\", \"op\": \"exists\"}, \"any\": []}", "targeting.not"),
                Arguments.of("not of an array", "{\"not\": []}", "targeting.not"),
                Arguments.of("deep error path", """
                        {"all": [{"attribute": "c", "op": "exists"},
                                 {"any": [{"not": {"attribute": "v", "op": "semver_gt", "value": "x"}}]}]}""",
                        "targeting.all[1].any[0].not.value"));
    }

    @ParameterizedTest(name = "{0} → {2}")
    @MethodSource("badRules")
    void badRule_isInvalidRequest_namingTheField(String scenario, String json, String field) {
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> parse(json));

        assertEquals(field, e.field());
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }

    /** A chain of {@code depth} nested "not"s around one comparison (depth 0 = the comparison alone). */
    private static ObjectNode nots(int depth) {
        ObjectNode rule = Json.object().put("attribute", "c").put("op", "exists");
        for (int i = 0; i < depth; i++) {
            ObjectNode wrapper = Json.object();
            wrapper.set("not", rule);
            rule = wrapper;
        }
        return rule;
    }

    @Test
    void nestingAtTheDepthLimit_isAccepted() {
        // 7 "not"s + the comparison = 8 levels
        Condition c = parse(nots(Targeting.MAX_DEPTH - 1));
        assertEquals(false, c.matches(Map.of("c", "x")), "an odd number of negations of a true comparison");
    }

    @Test
    void nestingBeyondTheDepthLimit_isRejectedAtTheDeepestNode() {
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> parse(nots(Targeting.MAX_DEPTH)));
        assertEquals("targeting" + ".not".repeat(Targeting.MAX_DEPTH), e.field());
    }

    private static ObjectNode allOf(int children) {
        ObjectNode rule = Json.object();
        ArrayNode all = rule.putArray("all");
        for (int i = 0; i < children; i++) {
            all.addObject().put("attribute", "a" + i).put("op", "exists");
        }
        return rule;
    }

    @Test
    void ruleAtTheNodeLimit_isAccepted() {
        // the "all" node + 99 comparisons = 100 nodes
        Condition c = parse(allOf(Targeting.MAX_NODES - 1));
        assertEquals(99, ((Condition.All) c).conditions().size());
    }

    @Test
    void ruleBeyondTheNodeLimit_isRejectedAtTheFirstNodeTooMany() {
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> parse(allOf(Targeting.MAX_NODES)));
        assertEquals("targeting.all[99]", e.field());
    }

    @Test
    void valueAtTheStringLimit_isAccepted() {
        Condition c = parse("{\"attribute\": \"c\", \"op\": \"eq\", \"value\": \"" + "x".repeat(256) + "\"}");
        assertEquals(true, c.matches(Map.of("c", "x".repeat(256))));
    }

    @Test
    void attributeNameAtTheLimit_isAccepted() {
        String name = "a".repeat(64);
        assertEquals(name, ((Condition.Compare) parse("{\"attribute\": \"" + name + "\", \"op\": \"exists\"}")).attribute());
    }

    private static final String EVERY_OPERATOR = """
            {"any": [
              {"all": [
                {"attribute": "country", "op": "eq", "value": "DE"},
                {"attribute": "plan", "op": "neq", "value": "free"},
                {"attribute": "region", "op": "in", "values": ["eu", 7, true, 2.5]},
                {"attribute": "region", "op": "not_in", "values": ["cn"]},
                {"attribute": "age", "op": "gt", "value": 18},
                {"attribute": "age", "op": "gte", "value": 18.5},
                {"attribute": "age", "op": "lt", "value": -3},
                {"attribute": "score", "op": "lte", "value": 1e20},
                {"attribute": "appVersion", "op": "semver_gt", "value": "v2.3"},
                {"attribute": "appVersion", "op": "semver_gte", "value": "2.3.0-rc.1+build.5"},
                {"attribute": "appVersion", "op": "semver_lt", "value": "3"},
                {"attribute": "appVersion", "op": "semver_lte", "value": "3.0.0"},
                {"attribute": "ua", "op": "regex", "value": "(Mobile|Tablet)"},
                {"attribute": "beta", "op": "exists", "value": true},
                {"attribute": "internal", "op": "exists", "value": false},
                {"attribute": "flag", "op": "eq", "value": false}]},
              {"not": {"any": []}},
              {"all": []}]}""";

    @Test
    void everyOperatorAndCombinator_roundTripsThroughJson() {
        Condition c = parse(EVERY_OPERATOR);

        assertEquals(c, parse(Targeting.toJson(c)));
        assertEquals(c, parse(Json.parse(Targeting.toJson(c).toString())), "through text as well");
    }

    @Test
    void canonicalRule_isWrittenBackAsSent() {
        assertEquals(Json.parse(EVERY_OPERATOR), Json.parse(Targeting.toJson(parse(EVERY_OPERATOR)).toString()));
    }

    @Test
    void existsWithoutValue_isWrittenWithItsDefault() {
        assertEquals(Json.parse("{\"attribute\": \"c\", \"op\": \"exists\", \"value\": true}"),
                Targeting.toJson(parse("{\"attribute\": \"c\", \"op\": \"exists\"}")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0.0", "42", "0.1", "-17.25", "1e15", "123456789012345678", "1e-7", "9007199254740993"})
    void numbers_roundTripToTheSameDouble(String number) {
        Condition c = parse("{\"attribute\": \"n\", \"op\": \"gte\", \"value\": " + number + "}");
        Condition back = parse(Json.parse(Targeting.toJson(c).toString()));
        assertEquals(c, back);
        assertEquals(Double.parseDouble(number) + 0.0, (Double) ((Condition.Compare) back).values().get(0) + 0.0, 0.0);
    }

    @Test
    void equalRules_withRegexes_compareBySource() {
        String json = "{\"attribute\": \"ua\", \"op\": \"regex\", \"value\": \"^a+$\"}";
        assertEquals(parse(json), parse(json));
        assertEquals(parse(json).hashCode(), parse(json).hashCode());
    }
}
