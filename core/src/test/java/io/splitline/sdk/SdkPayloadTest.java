package io.splitline.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.assignment.ExperimentAssigner;
import io.splitline.definitions.DefinitionSnapshot;
import io.splitline.experiment.Experiment;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.json.Json;
import io.splitline.targeting.Targeting;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The payload's mapping and what it leaves out. That the mapping means what {@code /assign} does is
 * proven by GrowthBook's own SDK in {@code GrowthBookSdkAgreementTest} (assignment function).
 */
class SdkPayloadTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    static Experiment experiment(String key, String targeting, ExperimentStatus status) {
        String spec = "{\"key\": \"" + key + "\", \"variants\": [{\"key\": \"control\", \"weight\": 0.5}, "
                + "{\"key\": \"treatment\", \"weight\": 0.5}]" + (targeting == null ? "" : ", \"targeting\": " + targeting) + "}";
        return new Experiment(ExperimentJson.parseSpec(Json.parseTrusted(spec)), status, 1, T0, T0, T0, null);
    }

    static DefinitionSnapshot snapshot(Experiment... experiments) {
        Map<String, ExperimentAssigner> byKey = new java.util.HashMap<>();
        for (Experiment e : experiments) {
            byKey.put(e.key(), ExperimentAssigner.of(e));
        }
        return new DefinitionSnapshot(byKey, Map.of(), Map.of(), T0);
    }

    @Test
    void untranslatableDefinitions_areOmittedWithTheirReason_neverApproximated() {
        SdkPayload payload = SdkPayload.of(snapshot(
                experiment("plain", null, ExperimentStatus.RUNNING),
                experiment("dotted", "{\"attribute\": \"user.plan\", \"op\": \"eq\", \"value\": \"pro\"}", ExperimentStatus.RUNNING),
                experiment("any-char", "{\"attribute\": \"email\", \"op\": \"regex\", \"value\": \"^a.c$\"}", ExperimentStatus.RUNNING),
                experiment("pre-release", "{\"attribute\": \"v\", \"op\": \"semver_gte\", \"value\": \"2.0.0-rc.1\"}", ExperimentStatus.RUNNING),
                experiment("paused", null, ExperimentStatus.PAUSED)));

        JsonNode body = payload.body();
        assertEquals(1, body.get("features").size());
        assertTrue(body.get("features").has("plain"));
        Map<String, String> reasons = new java.util.TreeMap<>();
        body.get("omitted").forEach(o -> reasons.put(o.get("key").asText(), o.get("reason").asText()));
        assertEquals(java.util.Set.of("dotted", "any-char", "pre-release"), reasons.keySet());
        assertTrue(reasons.get("dotted").contains("path"), reasons.get("dotted"));
        assertTrue(reasons.get("any-char").contains("'.'"), reasons.get("any-char"));
        assertTrue(reasons.get("pre-release").contains("pre-release"), reasons.get("pre-release"));
    }

    @Test
    void etag_followsTheContent_andIfNoneMatchAcceptsListsAndWeakTags() {
        SdkPayload a = SdkPayload.of(snapshot(experiment("plain", null, ExperimentStatus.RUNNING)));
        SdkPayload same = SdkPayload.of(snapshot(experiment("plain", null, ExperimentStatus.RUNNING)));
        SdkPayload other = SdkPayload.of(snapshot(experiment("other", null, ExperimentStatus.RUNNING)));

        assertEquals(a.etag(), same.etag());
        assertFalse(a.etag().equals(other.etag()));
        assertTrue(a.matches(a.etag()));
        assertTrue(a.matches("\"nope\", W/" + a.etag()));
        assertTrue(a.matches("*"));
        assertFalse(a.matches(other.etag()));
        assertFalse(a.matches(null));
    }

    @Test
    void emptyAny_isNeverTrue_asInSplitline() {
        JsonNode condition = GrowthBookCondition.of(Targeting.parse(Json.parseTrusted("{\"any\": []}"), "t"));
        assertEquals(Json.parseTrusted("{\"$not\": {}}"), condition);
    }

    @Test
    void numericAndRegexComparisons_areGuardedByType() {
        JsonNode gt = GrowthBookCondition.of(Targeting.parse(Json.parseTrusted(
                "{\"attribute\": \"age\", \"op\": \"gt\", \"value\": 30}"), "t"));
        assertEquals(Json.parseTrusted("{\"age\": {\"$type\": \"number\", \"$gt\": 30.0}}"), gt);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.c", "[^a]", "\\s", "\\bword", "(?i)abc", "(?=a)", "a*+", "\\1", "é", "[a&&b]", "\\p{L}", "\\Qa\\E", "a{2}{3}"})
    void regexOutsideTheCommonSubset_isRefused(String source) {
        Pattern.compile(source.equals("\\1") ? "(a)\\1" : source); // each is valid Java
        assertThrows(NotExpressible.class, () -> JsRegex.translate(source));
    }

    @Test
    void regexInTheCommonSubset_keepsItsText_andSpellsJavasDollar() {
        assertEquals("^[a-z0-9._]+@example\\.(com|org)$",
                JsRegex.translate("^[a-z0-9._]+@example\\.(com|org)$"));
        assertEquals("(?:Dr|Prof) [A-Z]\\w{2,5}?\\d*", JsRegex.translate("(?:Dr|Prof) [A-Z]\\w{2,5}?\\d*"));
    }

    @Test
    void numberRanges_coverExactlyTheNumbersAboveAndBelow() {
        Pattern above = Pattern.compile(SemverRegex.above("109").orElseThrow());
        Pattern below = Pattern.compile(SemverRegex.below("109").orElseThrow());
        for (int n = 0; n < 2000; n++) {
            String s = Integer.toString(n);
            assertEquals(n > 109, above.matcher(s).matches(), s);
            assertEquals(n < 109, below.matcher(s).matches(), s);
        }
        assertFalse(above.matcher("0110").matches());
        assertTrue(SemverRegex.below("0").isEmpty());
    }
}
