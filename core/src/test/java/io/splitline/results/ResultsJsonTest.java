package io.splitline.results;

import static io.splitline.results.Fixtures.conversions;
import static io.splitline.results.Fixtures.sums;
import static io.splitline.results.Fixtures.variant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.experiment.ExperimentStatus;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The writer produces every field of the API contract's results example, with the contract's types. */
class ResultsJsonTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static JsonNode json() {
        ExperimentResults r = ResultsCalculator.compute(Fixtures.checkout(0.05, 100), ExperimentStatus.RUNNING, List.of(
                variant("control", 5012, "purchase", conversions(512), "revenue", sums(1500, "15637.44", "650000.1234")),
                variant("green", 4988, "purchase", conversions(573), "revenue", sums(1490, "15900.00", "660000.5000"))), NOW);
        return ResultsJson.toJson(r);
    }

    private static void assertHasFields(JsonNode node, String... fields) {
        Set<String> present = new HashSet<>();
        node.fieldNames().forEachRemaining(present::add);
        for (String f : fields) {
            assertTrue(present.contains(f), "missing field " + f + " in " + present);
        }
    }

    @Test
    void results_containEveryFieldOfTheContract() {
        JsonNode root = json();

        assertHasFields(root, "key", "status", "computedAt", "confidenceLevel", "srm", "variants", "comparisons", "power",
                "recommendation");
        assertEquals("checkout-button", root.get("key").textValue());
        assertEquals("running", root.get("status").textValue());
        assertEquals("2026-03-01T12:00:00Z", root.get("computedAt").textValue());
        assertEquals(0.95, root.get("confidenceLevel").doubleValue());
        assertHasFields(root.get("srm"), "pValue", "mismatch", "observed", "expected");
        assertEquals(5012, root.get("srm").get("observed").get("control").longValue());
        assertEquals(5000.0, root.get("srm").get("expected").get("green").doubleValue());

        JsonNode control = root.get("variants").get(0);
        assertHasFields(control, "key", "units", "metrics");
        assertHasFields(control.get("metrics").get("purchase"), "units", "conversions", "rate", "ci");
        assertHasFields(control.get("metrics").get("revenue"), "units", "mean", "stdDev", "ci");
        assertEquals(2, control.get("metrics").get("purchase").get("ci").size());

        JsonNode c = root.get("comparisons").get(0);
        assertHasFields(c, "variant", "metric", "absoluteLift", "absoluteLiftCi", "relativeLift", "relativeLiftCi", "pValue",
                "adjustedPValue", "significant", "effectSize", "sequentialPValue", "probabilityToBeatControl",
                "expectedLoss");
        assertEquals("green", c.get("variant").textValue());
        assertEquals("purchase", c.get("metric").textValue());
        assertTrue(c.get("significant").isBoolean());
        assertHasFields(c, "test", "scale", "estimate", "adjustedCi", "adjustedCiLevel", "sequentialCi", "statistic",
                "degreesOfFreedom");
        assertEquals("welch-t, relative lift, delta method", c.get("test").textValue());
        assertEquals("relative", c.get("scale").textValue());
        assertEquals(c.get("relativeLift").doubleValue(), c.get("estimate").doubleValue());
        assertEquals(2, c.get("adjustedCi").size());
        assertEquals(2, c.get("sequentialCi").size());
        assertEquals("holm", root.get("multipleTesting").textValue());
        assertHasFields(root.get("sequential"), "mixingEffectSize", "expectedUnitsPerVariant", "confidenceLevel");
        assertEquals(2500, root.get("sequential").get("expectedUnitsPerVariant").longValue());
        assertEquals(3, root.get("comparisons").size(), "green × (purchase, revenue, error)");

        assertHasFields(root.get("power"), "metric", "requiredUnitsPerVariant", "progress");
        assertEquals("purchase", root.get("power").get("metric").textValue());
        assertHasFields(root.get("recommendation"), "decision", "variant", "reasons");
        assertTrue(root.get("recommendation").get("reasons").isArray());
        assertHasFields(root.get("chiSquare").get("purchase"), "statistic", "degreesOfFreedom", "pValue");
    }

    @Test
    void undefinedValues_areJsonNull() {
        JsonNode root = json();
        JsonNode error = root.get("comparisons").get(2);

        assertEquals("error", error.get("metric").textValue());
        assertTrue(error.get("relativeLift").isNull(), "control's error rate is 0");
        assertTrue(error.get("relativeLiftCi").isNull());
        assertEquals("absolute", error.get("scale").textValue(), "without a relative lift the absolute test decides");
        assertTrue(root.get("recommendation").get("variant").isNull());
        ResultsEdgeCasesTest.assertAllNumbersFinite(root, "$");
    }
}
