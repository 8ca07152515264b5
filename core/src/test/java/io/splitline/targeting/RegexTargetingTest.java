package io.splitline.targeting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.error.InvalidFieldException;
import io.splitline.json.Json;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Targeting regexes run on RE2/J: patterns that backtrack exponentially under java.util.regex answer
 * at once with the right result, and what RE2 cannot match in linear time (backreferences,
 * lookaround) is refused when the rule is defined, with the reason.
 */
class RegexTargetingTest {
    /** Only a hang guard: java.util.regex took minutes on these; RE2/J takes milliseconds. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(10);

    private static Condition regex(String pattern) {
        return Targeting.parse(Json.object().put("attribute", "s").put("op", "regex").put("value", pattern), "targeting");
    }

    static Stream<Arguments> evilPatterns() {
        String as = "a".repeat(1023);
        return Stream.of(
                Arguments.of("(a+)+$", as + "!", false),
                Arguments.of("(a+)+$", as, true),
                Arguments.of("(.*a){2}$", as + "b", false),
                Arguments.of("(.*a){12}$", as + "b", false),
                Arguments.of("(.*a){12}$", as, true),
                Arguments.of("^(a|aa)+$", as + "b", false),
                Arguments.of("(\\w+\\s?)+$", "word ".repeat(200) + "!", false),
                Arguments.of("^(([a-z])+.)+[A-Z]([a-z])+$", "a".repeat(1000) + "1", false));
    }

    @ParameterizedTest(name = "{0} on {1} chars")
    @MethodSource("evilPatterns")
    void catastrophicBacktrackingPatterns_answerCorrectly(String pattern, String input, boolean expected) {
        Condition rule = regex(pattern);

        boolean matched = assertTimeoutPreemptively(HANG_GUARD, () -> rule.matches(Map.of("s", input)));

        assertEquals(expected, matched);
    }

    static Stream<Arguments> unsupportedPatterns() {
        return Stream.of(
                Arguments.of("backreference", "(a+)+\\1$", "invalid escape sequence '\\1'"),
                Arguments.of("named backreference", "(?P<x>a)(?P=x)", "'(?P'"),
                Arguments.of("lookahead", "^(?=.*@)", "'(?='"),
                Arguments.of("negative lookahead", "^(?!admin)", "'(?!'"),
                Arguments.of("lookbehind", "(?<=@)example", "invalid named capture '(?<=@)example'"),
                Arguments.of("possessive quantifier", "a*+b", "invalid nested repetition operator '*+'"),
                Arguments.of("atomic group", "(?>a+)b", "'(?>'"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("unsupportedPatterns")
    void patternsRe2CannotMatchInLinearTime_areRejectedWithTheReason(String scenario, String pattern, String reason) {
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> regex(pattern));

        assertEquals("targeting.value", e.field());
        assertTrue(e.getMessage().contains(reason) && e.getMessage().contains("RE2 syntax"), e.getMessage());
    }

    @Test
    void nestedCountedRepetitions_areRejectedBeforeTheyAreCompiled() {
        // RE2/J compiles x{n} as n copies: this one would be a billion instructions (out of memory).
        InvalidFieldException e = assertTimeoutPreemptively(HANG_GUARD,
                () -> assertThrows(InvalidFieldException.class, () -> regex("((a{999}){999}){999}")));

        assertEquals("targeting.value", e.field());
        assertTrue(e.getMessage().contains("counted repetitions"), e.getMessage());
    }

    @Test
    void theRulesRegexes_shareOneProgramBudget() {
        String big = "[a-z]{600}";
        Targeting.parse(Json.parse("{\"attribute\": \"s\", \"op\": \"regex\", \"value\": \"" + big + "\"}"), "targeting");

        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> Targeting.parse(Json.parse("{\"any\": ["
                + "{\"attribute\": \"s\", \"op\": \"regex\", \"value\": \"" + big + "\"},"
                + "{\"attribute\": \"t\", \"op\": \"regex\", \"value\": \"" + big + "\"}]}"), "targeting"));

        assertEquals("targeting.any[1].value", e.field(), "the second regex exceeds what the first left");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a{1000}", "(abcdefghij){100}", "(?:a{0,1000})"})
    void oneLargeCountedRepetition_isRejected(String pattern) {
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> regex(pattern));
        assertEquals("targeting.value", e.field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\\w.+-]+@[\\w-]+\\.[a-z]{2,6}$", "^\\d{5}(-\\d{4})?$", "^[A-Z]{2}-[0-9]{1,3}$", "(Mobile|Tablet|iPad|Android)"})
    void everydayPatterns_fitTheBudget(String pattern) {
        regex(pattern);
    }

    @Test
    void findSemantics_areKept_matchAnywhereUnlessAnchored() {
        assertEquals(true, regex("Mobile").matches(Map.of("s", "Android Mobile Safari")));
        assertEquals(false, regex("^Mobile$").matches(Map.of("s", "Android Mobile Safari")));
        assertEquals(true, regex("(?i)mobile").matches(Map.of("s", "MOBILE")), "inline flags are RE2 syntax too");
        assertEquals(true, regex("^\\p{L}+$").matches(Map.of("s", "Zürich")), "Unicode classes");
    }
}
