package io.splitline.targeting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.splitline.json.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Evaluation of every operator and combinator, with exact boundaries, missing attributes and type mismatches. */
class ConditionTest {

    static Condition rule(String json) {
        return Targeting.parse(Json.parse(json), "targeting");
    }

    static Condition compare(String attribute, String op, String valueJson) {
        return rule("{\"attribute\": \"" + attribute + "\", \"op\": \"" + op + "\", \"value\": " + valueJson + "}");
    }

    static Condition set(String attribute, String op, String valuesJson) {
        return rule("{\"attribute\": \"" + attribute + "\", \"op\": \"" + op + "\", \"values\": " + valuesJson + "}");
    }

    /** Attributes from alternating names and values; a null value leaves the name out. */
    static Map<String, Object> attrs(Object... nameValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            if (nameValues[i + 1] != null) {
                m.put((String) nameValues[i], nameValues[i + 1]);
            }
        }
        return m;
    }

    /** scenario, rule, attribute value (null = missing), expected. */
    static Stream<Arguments> comparisons() {
        return Stream.of(
                // eq / neq: same type and value only
                Arguments.of("eq string, equal", compare("c", "eq", "\"DE\""), "DE", true),
                Arguments.of("eq string, case differs", compare("c", "eq", "\"DE\""), "de", false),
                Arguments.of("eq number, equal", compare("c", "eq", "42"), 42.0, true),
                Arguments.of("eq number, fraction", compare("c", "eq", "42.5"), 42.5, true),
                Arguments.of("eq number, -0 equals 0", compare("c", "eq", "0"), -0.0, true),
                Arguments.of("eq number vs numeric string", compare("c", "eq", "42"), "42", false),
                Arguments.of("eq string vs number", compare("c", "eq", "\"42\""), 42.0, false),
                Arguments.of("eq boolean, equal", compare("c", "eq", "true"), true, true),
                Arguments.of("eq boolean vs string", compare("c", "eq", "true"), "true", false),
                Arguments.of("eq, missing", compare("c", "eq", "\"DE\""), null, false),
                Arguments.of("neq, different", compare("c", "neq", "\"DE\""), "FR", true),
                Arguments.of("neq, equal", compare("c", "neq", "\"DE\""), "DE", false),
                Arguments.of("neq, other type", compare("c", "neq", "1"), "1", true),
                Arguments.of("neq number, -0 vs 0", compare("c", "neq", "0"), -0.0, false),
                Arguments.of("neq, missing", compare("c", "neq", "\"DE\""), null, true),
                // in / not_in
                Arguments.of("in, member", set("c", "in", "[\"DE\", \"FR\"]"), "FR", true),
                Arguments.of("in, not a member", set("c", "in", "[\"DE\", \"FR\"]"), "IT", false),
                Arguments.of("in, mixed types, number member", set("c", "in", "[\"DE\", 7, true]"), 7.0, true),
                Arguments.of("in, mixed types, boolean member", set("c", "in", "[\"DE\", 7, true]"), true, true),
                Arguments.of("in, numeric string is not the number", set("c", "in", "[7]"), "7", false),
                Arguments.of("in, -0 is 0", set("c", "in", "[0]"), -0.0, true),
                Arguments.of("in, missing", set("c", "in", "[\"DE\"]"), null, false),
                Arguments.of("not_in, member", set("c", "not_in", "[\"DE\", \"FR\"]"), "DE", false),
                Arguments.of("not_in, not a member", set("c", "not_in", "[\"DE\", \"FR\"]"), "IT", true),
                Arguments.of("not_in, other type", set("c", "not_in", "[1]"), "1", true),
                Arguments.of("not_in, missing", set("c", "not_in", "[\"DE\"]"), null, true),
                // numbers, exact boundaries
                Arguments.of("gt, above", compare("n", "gt", "18"), 18.000001, true),
                Arguments.of("gt, equal", compare("n", "gt", "18"), 18.0, false),
                Arguments.of("gt, below", compare("n", "gt", "18"), 17.0, false),
                Arguments.of("gte, equal", compare("n", "gte", "18"), 18.0, true),
                Arguments.of("gte, just below", compare("n", "gte", "18"), 17.999999, false),
                Arguments.of("gte 0, -0", compare("n", "gte", "0"), -0.0, true),
                Arguments.of("lt, below", compare("n", "lt", "-1.5"), -1.6, true),
                Arguments.of("lt, equal", compare("n", "lt", "-1.5"), -1.5, false),
                Arguments.of("lte, equal", compare("n", "lte", "-1.5"), -1.5, true),
                Arguments.of("lte, just above", compare("n", "lte", "-1.5"), -1.4999, false),
                Arguments.of("lte 0, -0", compare("n", "lte", "0"), -0.0, true),
                Arguments.of("lt 0, -0", compare("n", "lt", "0"), -0.0, false),
                Arguments.of("gt, numeric string is not a number", compare("n", "gt", "1"), "5", false),
                Arguments.of("gt, boolean", compare("n", "gt", "0"), true, false),
                Arguments.of("gt, missing", compare("n", "gt", "-1e300"), null, false),
                Arguments.of("lt, missing", compare("n", "lt", "1e300"), null, false),
                // semantic versions
                Arguments.of("semver_gte, equal", compare("v", "semver_gte", "\"2.3.0\""), "2.3.0", true),
                Arguments.of("semver_gte, minor above", compare("v", "semver_gte", "\"2.3.0\""), "2.10.0", true),
                Arguments.of("semver_gte, pre-release below its release", compare("v", "semver_gte", "\"2.3.0\""), "2.3.0-rc.1", false),
                Arguments.of("semver_gt, equal", compare("v", "semver_gt", "\"2.3.0\""), "2.3.0", false),
                Arguments.of("semver_gt, patch above", compare("v", "semver_gt", "\"2.3.0\""), "2.3.1", true),
                Arguments.of("semver_gt, build metadata is ignored", compare("v", "semver_gt", "\"2.3.0\""), "2.3.0+build.7", false),
                Arguments.of("semver_gte, build metadata is ignored", compare("v", "semver_gte", "\"2.3.0+abc\""), "2.3.0+xyz", true),
                Arguments.of("semver_lt, pre-release", compare("v", "semver_lt", "\"1.0.0\""), "1.0.0-alpha", true),
                Arguments.of("semver_lt, equal", compare("v", "semver_lt", "\"1.0.0\""), "1.0.0", false),
                Arguments.of("semver_lte, equal via v prefix", compare("v", "semver_lte", "\"1.0.0\""), "v1.0.0", true),
                Arguments.of("semver_lte, short form equals x.0.0", compare("v", "semver_lte", "\"2\""), "2.0.0", true),
                Arguments.of("semver_gte, short form attribute", compare("v", "semver_gte", "\"2.4.0\""), "2.4", true),
                Arguments.of("semver_lt, numeric not lexical", compare("v", "semver_lt", "\"10.0.0\""), "9.99.99", true),
                Arguments.of("semver, invalid attribute never matches gt", compare("v", "semver_gt", "\"1.0.0\""), "latest", false),
                Arguments.of("semver, invalid attribute never matches lt", compare("v", "semver_lt", "\"1.0.0\""), "1.0.0.0", false),
                Arguments.of("semver, number attribute", compare("v", "semver_gte", "\"1.0.0\""), 2.0, false),
                Arguments.of("semver, missing", compare("v", "semver_lt", "\"99.0.0\""), null, false),
                // regex: a match anywhere, case-sensitive, strings only
                Arguments.of("regex, substring", compare("ua", "regex", "\"(Mobile|Tablet)\""), "Android Mobile Browser", true),
                Arguments.of("regex, no match", compare("ua", "regex", "\"(Mobile|Tablet)\""), "Chrome Desktop", false),
                Arguments.of("regex, case-sensitive", compare("ua", "regex", "\"mobile\""), "Mobile", false),
                Arguments.of("regex, anchors", compare("e", "regex", "\"@example\\\\.com$\""), "a@example.com", true),
                Arguments.of("regex, anchors fail", compare("e", "regex", "\"@example\\\\.com$\""), "a@example.com.evil", false),
                Arguments.of("regex, number attribute", compare("n", "regex", "\"^4\""), 42.0, false),
                Arguments.of("regex, input at the length limit", compare("s", "regex", "\"x$\""), "a".repeat(1023) + "x", true),
                Arguments.of("regex, input over the length limit", compare("s", "regex", "\"x$\""), "a".repeat(1024) + "x", false),
                Arguments.of("regex, missing", compare("s", "regex", "\".*\""), null, false),
                // exists
                Arguments.of("exists, present", compare("c", "exists", "true"), "DE", true),
                Arguments.of("exists, present and false", compare("c", "exists", "true"), false, true),
                Arguments.of("exists, missing", compare("c", "exists", "true"), null, false),
                Arguments.of("exists false, missing", compare("c", "exists", "false"), null, true),
                Arguments.of("exists false, present", compare("c", "exists", "false"), "", false),
                Arguments.of("exists without value, present", rule("{\"attribute\": \"c\", \"op\": \"exists\"}"), 0.0, true),
                Arguments.of("exists without value, missing", rule("{\"attribute\": \"c\", \"op\": \"exists\"}"), null, false));
    }

    @ParameterizedTest(name = "{0} → {3}")
    @MethodSource("comparisons")
    void comparison_matchesExactlyWhenExpected(String scenario, Condition rule, Object value, boolean expected) {
        String attribute = ((Condition.Compare) rule).attribute();
        assertEquals(expected, rule.matches(attrs(attribute, value)));
    }

    @Test
    void otherAttributes_doNotInterfere() {
        Condition c = compare("country", "eq", "\"DE\"");
        assertEquals(false, c.matches(Map.of("Country", "DE", "country ", "DE")));
    }

    private static final Condition DE = compare("country", "eq", "\"DE\"");
    private static final Condition ADULT = compare("age", "gte", "18");

    static Stream<Arguments> combinators() {
        return Stream.of(
                Arguments.of("all, both true", new Condition.All(List.of(DE, ADULT)), attrs("country", "DE", "age", 30.0), true),
                Arguments.of("all, one false", new Condition.All(List.of(DE, ADULT)), attrs("country", "DE", "age", 17.0), false),
                Arguments.of("all, one missing", new Condition.All(List.of(DE, ADULT)), attrs("country", "DE"), false),
                Arguments.of("all, empty", new Condition.All(List.of()), attrs(), true),
                Arguments.of("any, one true", new Condition.Any(List.of(DE, ADULT)), attrs("country", "FR", "age", 30.0), true),
                Arguments.of("any, none true", new Condition.Any(List.of(DE, ADULT)), attrs("country", "FR", "age", 3.0), false),
                Arguments.of("any, all missing", new Condition.Any(List.of(DE, ADULT)), attrs(), false),
                Arguments.of("any, empty", new Condition.Any(List.of()), attrs("country", "DE"), false),
                Arguments.of("not, of true", new Condition.Not(DE), attrs("country", "DE"), false),
                Arguments.of("not, of false", new Condition.Not(DE), attrs("country", "FR"), true),
                Arguments.of("not, of missing", new Condition.Not(DE), attrs(), true),
                Arguments.of("not not", new Condition.Not(new Condition.Not(DE)), attrs("country", "DE"), true));
    }

    @ParameterizedTest(name = "{0} → {3}")
    @MethodSource("combinators")
    void combinator_combinesItsChildren(String scenario, Condition rule, Map<String, Object> attributes, boolean expected) {
        assertEquals(expected, rule.matches(attributes));
    }

    @Test
    void nestedRule_fromJson_evaluatesEveryBranch() {
        // (country in DE, FR AND appVersion >= 2.3.0) OR (beta AND NOT internal email)
        Condition c = rule("""
                {"any": [
                   {"all": [{"attribute": "country", "op": "in", "values": ["DE", "FR"]},
                            {"attribute": "appVersion", "op": "semver_gte", "value": "2.3.0"}]},
                   {"all": [{"attribute": "beta", "op": "eq", "value": true},
                            {"not": {"attribute": "email", "op": "regex", "value": "@splitline\\\\.io$"}}]}]}""");

        assertEquals(true, c.matches(attrs("country", "FR", "appVersion", "2.3.0")));
        assertEquals(false, c.matches(attrs("country", "FR", "appVersion", "2.2.9")));
        assertEquals(true, c.matches(attrs("beta", true, "email", "a@example.com")));
        assertEquals(true, c.matches(attrs("beta", true)), "no email: the regex fails, its negation holds");
        assertEquals(false, c.matches(attrs("beta", true, "email", "dev@splitline.io")));
        assertEquals(false, c.matches(attrs()));
    }
}
