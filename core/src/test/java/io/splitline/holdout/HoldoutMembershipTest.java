package io.splitline.holdout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.error.InvalidFieldException;
import io.splitline.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Who a holdout holds out: the exact count and the first ids for 110,000 unit ids (ASCII and CJK) against
 * the independent Python reference ({@code holdout/reference.py}, output {@code holdout/counts.json}),
 * monotone in the percent and stable (the answer depends on the seed and the unit alone).
 */
class HoldoutMembershipTest {
    static final JsonNode REFERENCE = load();

    static List<String> units() {
        List<String> units = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            units.add("unit-" + i);
        }
        for (int i = 0; i < 10_000; i++) {
            units.add("用户-" + i);
        }
        return units;
    }

    static HoldoutSpec spec(String seed, double percent) {
        return HoldoutJson.parseSpec(Json.parseTrusted("{\"key\": \"q1-holdout\", \"seed\": " + Json.write(Json.MAPPER.valueToTree(seed))
                + ", \"percent\": " + percent + "}"));
    }

    @Test
    void exclusionCount_andFirstIds_equalTheIndependentReference() {
        List<String> units = units();
        assertEquals(REFERENCE.get("units").asInt(), units.size());
        for (JsonNode c : REFERENCE.get("cases")) {
            HoldoutSpec spec = spec(c.get("seed").asText(), c.get("percent").asDouble());
            List<String> held = units.stream().filter(spec::holds).toList();
            assertEquals(c.get("heldOut").asInt(), held.size(), c.toString());
            assertEquals(Json.MAPPER.convertValue(c.get("first"), List.class), held.subList(0, Math.min(5, held.size())), c.toString());
        }
    }

    @Test
    void raisingThePercent_onlyAddsUnits_andTheAnswerIsStable() {
        List<String> units = units();
        double[] percents = {0.01, 1, 2.5, 5, 7.37, 20, 50};
        for (String seed : List.of("q1-holdout", "another seed")) {
            HoldoutSpec previous = null;
            for (double percent : percents) {
                HoldoutSpec spec = spec(seed, percent);
                HoldoutSpec again = spec(seed, percent);
                for (String unit : units) {
                    assertEquals(spec.holds(unit), again.holds(unit), unit);
                    if (previous != null && previous.holds(unit)) {
                        assertTrue(spec.holds(unit), unit + " held out at " + previous.percent() + "% but not at " + percent + "%");
                    }
                    assertEquals(spec.holds(unit) ? HoldoutSpec.HOLDOUT : HoldoutSpec.GENERAL, spec.arm(unit));
                }
                previous = spec;
            }
        }
    }

    @Test
    void theSeed_decidesWho_notTheKey() {
        HoldoutSpec byKey = HoldoutJson.parseSpec(Json.parseTrusted("{\"key\": \"q1-holdout\", \"percent\": 5}"));
        assertEquals("q1-holdout", byKey.seed());
        HoldoutSpec other = spec("another seed", 5);
        assertFalse(units().stream().allMatch(u -> byKey.holds(u) == other.holds(u)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "50.01", "2.345", "\"5\""})
    void percent_outsideTheRangeOrGrain_isRefusedNamingTheField(String percent) {
        InvalidFieldException e = assertThrows(InvalidFieldException.class,
                () -> HoldoutJson.parseSpec(Json.parseTrusted("{\"key\": \"h\", \"percent\": " + percent + "}")));
        assertEquals("percent", e.field());
    }

    @Test
    void otherFields_areValidatedWithTheirPath() {
        assertEquals("seed", assertThrows(InvalidFieldException.class,
                () -> HoldoutJson.parseSpec(Json.parseTrusted("{\"key\": \"h\", \"percent\": 5, \"seed\": \"\"}"))).field());
        assertEquals("metrics[0].type", assertThrows(InvalidFieldException.class, () -> HoldoutJson.parseSpec(Json.parseTrusted(
                "{\"key\": \"h\", \"percent\": 5, \"metrics\": [{\"key\": \"m\", \"type\": \"nope\"}]}"))).field());
        assertEquals("variants", assertThrows(InvalidFieldException.class,
                () -> HoldoutJson.parseSpec(Json.parseTrusted("{\"key\": \"h\", \"percent\": 5, \"variants\": []}"))).field());
    }

    @Test
    void theStoredForm_readsBackTheSame() {
        HoldoutSpec spec = HoldoutJson.parseSpec(Json.parseTrusted("""
                {"key": "h", "percent": 2.5, "seed": "s", "description": "Q1",
                 "metrics": [{"key": "purchase", "type": "conversion", "role": "primary"}]}"""));
        assertEquals(spec, HoldoutJson.parseSpec(HoldoutJson.specToJson(spec)));
        assertEquals(0.025, spec.share());
    }

    private static JsonNode load() {
        try (InputStream in = HoldoutMembershipTest.class.getResourceAsStream("/holdout/counts.json")) {
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
