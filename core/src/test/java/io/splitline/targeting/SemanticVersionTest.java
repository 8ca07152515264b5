package io.splitline.targeting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SemanticVersionTest {

    private static SemanticVersion v(String text) {
        return SemanticVersion.parse(text).orElseThrow(() -> new AssertionError("not a version: " + text));
    }

    @Test
    void semverOrgPrecedenceExample_isStrictlyIncreasing() {
        // semver.org 2.0.0, item 11: 1.0.0-alpha < 1.0.0-alpha.1 < … < 1.0.0 < 2.0.0 < 2.1.0 < 2.1.1
        List<String> ordered = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1");
        for (int i = 0; i < ordered.size(); i++) {
            for (int j = 0; j < ordered.size(); j++) {
                assertEquals(Integer.signum(Integer.compare(i, j)), Integer.signum(v(ordered.get(i)).compareTo(v(ordered.get(j)))),
                        ordered.get(i) + " vs " + ordered.get(j));
            }
        }
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "v1.2.3, 1.2.3",
            "1.2.3+build.5, 1.2.3",
            "1.2.3-rc.1+build.5, 1.2.3-rc.1+other",
            "2, 2.0.0",
            "2.4, 2.4.0",
            "v2, 2.0.0",
            "2.4-beta, 2.4.0-beta",
            "' 1.2.3 ', 1.2.3",
            "1.0.0+001, 1.0.0",
    })
    void equivalentSpellings_haveEqualPrecedence(String a, String b) {
        assertEquals(0, v(a).compareTo(v(b)));
    }

    @ParameterizedTest(name = "{0} < {1}")
    @CsvSource({
            "1.9.9, 1.10.0",
            "0.9.0, 0.10.0",
            "9999.0.0, 10000.0.0",
            "1.2.3-4, 1.2.3-5",
            "1.2.3-5, 1.2.3-5-foo",         // numeric identifiers rank below alphanumeric ones
            "1.2.3-9, 1.2.3-a",
            "1.2.3-a.5, 1.2.3-a.10",        // numeric identifiers compare as numbers
            "1.2.3-a.5, 1.2.3-a.b",
            "1.2.3-a, 1.2.3-a.b",           // a longer set of identifiers ranks higher when the prefix is equal
            "1.2.3-R2, 1.2.3-r100",         // ASCII order: upper case before lower case
            "1.2.3-r100, 1.2.3-r2",         // alphanumeric identifiers compare as text
            "1.2.3-rc.1, 1.2.3",
            "1.2.3-999999999999999999999, 1.2.3-a",
            "1.2.3-99999999999999999998, 1.2.3-99999999999999999999",
            "999999999999999998.0.0, 999999999999999999.0.0",
    })
    void lowerPrecedence_comparesBelow(String lower, String higher) {
        assertTrue(v(lower).compareTo(v(higher)) < 0);
        assertTrue(v(higher).compareTo(v(lower)) > 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v", "latest", "1.2.3.4", "1..2", "1.2.", "01.2.3", "1.02.3", "1.2.03", "1.2.3-", "1.2.3+",
            "1.2.3-01", "1.2.3-beta..1", "1.2.3-beta_1", "V1.2.3", "-1.2.3", "1.2.x", "1.2.3 4", "1000000000000000000.0.0"})
    void malformedVersion_isNotAVersion(String text) {
        assertTrue(SemanticVersion.parse(text).isEmpty(), text);
    }

    @Test
    void overlongText_isNotAVersion_andNullIsNotAVersion() {
        assertTrue(SemanticVersion.parse("1.2.3-" + "a".repeat(122)).isPresent(), "128 characters");
        assertTrue(SemanticVersion.parse("1.2.3-" + "a".repeat(123)).isEmpty(), "129 characters");
        assertTrue(SemanticVersion.parse(null).isEmpty());
    }

    @Test
    void parts_areReadAsNumbers() {
        assertEquals(new SemanticVersion(10, 20, 30, List.of("rc", "1")), v("v10.20.30-rc.1+sha.5114f85"));
        assertEquals(new SemanticVersion(2, 0, 0, List.of()), v("2"));
    }
}
