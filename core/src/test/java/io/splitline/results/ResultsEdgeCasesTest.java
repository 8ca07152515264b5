package io.splitline.results;

import static io.splitline.results.Fixtures.conversions;
import static io.splitline.results.Fixtures.sums;
import static io.splitline.results.Fixtures.variant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.results.ExperimentResults.Comparison;
import io.splitline.results.ExperimentResults.VariantMetric;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Degenerate data gives defined answers: finite numbers, or null with a note; never NaN or an exception. */
class ResultsEdgeCasesTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final ExperimentSpec SPEC = Fixtures.checkout(0.05, 100);

    private static ExperimentResults compute(ExperimentSpec spec, List<VariantAggregates> data) {
        ExperimentResults r = ResultsCalculator.compute(spec, ExperimentStatus.RUNNING, data, NOW);
        assertAllNumbersFinite(ResultsJson.toJson(r), "$");
        return r;
    }

    @Test
    void zeroUnits_everywhere_givesNullEstimatesPValueOneAndNeedsMoreData() {
        ExperimentResults r = compute(SPEC, List.of());

        VariantMetric purchase = r.variants().get(0).metrics().get(0);
        assertEquals(0, purchase.units());
        assertNull(purchase.rate());
        assertNull(purchase.ci());
        Comparison c = r.comparison("green", "purchase").orElseThrow();
        assertEquals(1.0, c.pValue());
        assertEquals(1.0, c.adjustedPValue());
        assertFalse(c.significant());
        assertNull(c.absoluteLift(), "no data supports a lift, not even 0");
        assertNull(c.absoluteLiftCi());
        assertNull(c.relativeLift());
        assertEquals(List.of("an arm has no units"), c.notes(), "each reason once");
        assertEquals(1.0, r.srm().pValue());
        assertFalse(r.srm().mismatch());
        assertNull(r.power().requiredUnitsPerVariant());
        assertEquals("control has no data yet", r.power().reason());
        assertEquals(Decision.NEEDS_MORE_DATA, r.recommendation().decision());
    }

    @Test
    void aDraft_saysItHasNotStarted() {
        ExperimentResults r = ResultsCalculator.compute(SPEC, ExperimentStatus.DRAFT, List.of(), NOW);

        assertEquals(Decision.NOT_STARTED, r.recommendation().decision());
        assertTrue(r.recommendation().reasons().get(0).startsWith("the experiment has not started"),
                r.recommendation().reasons().toString());
    }

    @Test
    void zeroConversions_inBothArms_givesRateZeroWilsonUpperBoundAndNoEvidence() {
        ExperimentResults r = compute(SPEC, List.of(variant("control", 500), variant("green", 500)));

        VariantMetric purchase = r.variants().get(0).metrics().get(0);
        assertEquals(0.0, purchase.rate());
        assertEquals(0.0, purchase.ci().lower());
        assertTrue(purchase.ci().upper() > 0 && purchase.ci().upper() < 0.01);
        Comparison c = r.comparison("green", "purchase").orElseThrow();
        assertEquals(1.0, c.pValue());
        assertEquals(0.0, c.absoluteLift());
        assertNotNull(c.absoluteLiftCi(), "Newcombe's interval exists with zero conversions");
        assertTrue(c.absoluteLiftCi().lower() < 0 && c.absoluteLiftCi().upper() > 0);
        assertNull(c.relativeLift(), "relative to a rate of 0 is undefined");
        assertEquals(0.0, c.effectSize());
        assertEquals(1.0, c.sequentialPValue());
        assertEquals(0.5, c.probabilityToBeatControl(), 1e-12);
        assertEquals(List.of(), r.chiSquare().stream().filter(x -> x.pValue() != 1.0).toList());
        assertEquals("control has no conversions yet", r.power().reason());
    }

    @Test
    void allConverted_inBothArms_givesRateOneAndNoEvidence() {
        ExperimentResults r = compute(SPEC, List.of(variant("control", 300, "purchase", conversions(300)),
                variant("green", 300, "purchase", conversions(300))));

        VariantMetric purchase = r.variants().get(1).metrics().get(0);
        assertEquals(1.0, purchase.rate());
        assertEquals(1.0, purchase.ci().upper());
        Comparison c = r.comparison("green", "purchase").orElseThrow();
        assertEquals(1.0, c.pValue());
        assertEquals(0.0, c.relativeLift());
        assertNull(c.relativeLiftCi(), "no variance: the delta method gives no interval");
        assertEquals("the minimum detectable effect would move the rate outside (0, 1)", r.power().reason());
    }

    @Test
    void oneVariantWithData_isASampleRatioMismatchAndInvalid() {
        ExperimentResults r = compute(SPEC, List.of(variant("control", 1000, "purchase", conversions(100))));

        assertTrue(r.srm().mismatch());
        assertEquals(0.0, r.srm().pValue(), 1e-12);
        assertEquals(1.0, r.comparison("green", "purchase").orElseThrow().pValue());
        assertEquals(0, r.chiSquare().get(0).degreesOfFreedom());
        assertEquals(1.0, r.chiSquare().get(0).pValue());
        assertEquals(Decision.INVALID, r.recommendation().decision());
    }

    @Test
    void zeroVariance_inAMeanMetric_givesPValueOneAndANote() {
        // every unit spent exactly 5.00 in both arms
        ExperimentResults r = compute(SPEC, List.of(variant("control", 200, "revenue", sums(200, "1000.00", "5000.0000")),
                variant("green", 200, "revenue", sums(200, "1000.00", "5000.0000"))));

        VariantMetric revenue = r.variants().get(0).metrics().get(1);
        assertEquals(5.0, revenue.mean());
        assertEquals(0.0, revenue.stdDev());
        Comparison c = r.comparison("green", "revenue").orElseThrow();
        assertEquals(1.0, c.pValue());
        assertNull(c.absoluteLiftCi());
        assertEquals(0.0, c.effectSize());
        assertTrue(c.notes().contains("no variance in either arm: the test is undefined"), c.notes().toString());
        assertNull(c.adjustedCi());
        assertNull(c.estimate());
    }

    @Test
    void zeroVariance_withDifferentConstants_isNeverSignificant() {
        ExperimentResults r = compute(SPEC, List.of(variant("control", 200, "revenue", sums(200, "1000.00", "5000.0000")),
                variant("green", 200, "revenue", sums(200, "1200.00", "7200.0000"))));

        Comparison c = r.comparison("green", "revenue").orElseThrow();
        assertFalse(c.significant());
        assertNull(c.effectSize(), "Cohen's d is infinite, reported as null");
        assertEquals(1.0, c.probabilityToBeatControl());
        assertEquals(0.0, c.expectedLoss());
    }

    @Test
    void singleUnitPerArm_givesNoMeanIntervalAndNoWelchTest() {
        ExperimentResults r = compute(SPEC, List.of(variant("control", 1, "revenue", sums(1, "3.00", "9.0000")),
                variant("green", 1, "revenue", sums(1, "4.00", "16.0000"))));

        assertNull(r.variants().get(0).metrics().get(1).stdDev());
        assertNull(r.variants().get(0).metrics().get(1).ci());
        Comparison c = r.comparison("green", "revenue").orElseThrow();
        assertEquals(1.0, c.pValue());
        assertNull(c.probabilityToBeatControl());
    }

    @Test
    void aConfidenceLevelOneUlpBelowOne_givesFiniteIntervalsWiderThanAt95Percent() {
        // 1 − α/2 rounds to 1 at this level; the intervals take their quantiles at α/2, which keeps its digits
        List<VariantAggregates> data = List.of(
                variant("control", 1000, "purchase", conversions(100), "revenue", sums(500, "1000.00", "5000.0000")),
                variant("green", 1000, "purchase", conversions(130), "revenue", sums(520, "1100.00", "5600.0000")));
        String json = "{'key': 'k', 'variants': [{'key': 'control', 'weight': 0.5}, {'key': 'green', 'weight': 0.5}],"
                + "'metrics': [{'key': 'purchase', 'type': 'conversion', 'role': 'primary', 'minimumDetectableEffect': 0.05},"
                + "{'key': 'revenue', 'type': 'mean'}], 'confidenceLevel': %s}";
        ExperimentResults extreme = compute(Fixtures.spec(json.formatted(Math.nextDown(1.0))), data);
        ExperimentResults usual = compute(Fixtures.spec(json.formatted(0.95)), data);

        for (String metric : List.of("purchase", "revenue")) {
            Comparison wide = extreme.comparison("green", metric).orElseThrow();
            Comparison narrow = usual.comparison("green", metric).orElseThrow();
            assertTrue(wide.absoluteLiftCi().lower() < narrow.absoluteLiftCi().lower()
                    && wide.absoluteLiftCi().upper() > narrow.absoluteLiftCi().upper(), metric);
            assertFalse(wide.significant(), metric + ": nothing here is significant at α ≈ 10⁻¹⁶");
        }
        assertTrue(extreme.variants().get(0).metrics().get(0).ci().upper()
                > usual.variants().get(0).metrics().get(0).ci().upper(), "Wilson's interval widens too");
    }

    @Test
    void aConfidenceLevelOneUlpBelowOne_withSeveralTreatments_givesFiniteAlwaysValidIntervals() {
        // α' = α/2 ≈ 5.6e-17: 1 − α' rounds to 1, so α' must not be read back from the sequential level (found by ResultsFuzzTest)
        ExperimentSpec spec = Fixtures.spec("{'key': 'k', 'variants': [{'key': 'control', 'weight': 0.4},"
                + "{'key': 'green', 'weight': 0.3}, {'key': 'red', 'weight': 0.3}],"
                + "'metrics': [{'key': 'purchase', 'type': 'conversion', 'role': 'primary'}, {'key': 'revenue', 'type': 'mean'}],"
                + "'confidenceLevel': " + Math.nextDown(1.0) + "}");
        List<VariantAggregates> data = List.of(
                variant("control", 4000, "purchase", conversions(400), "revenue", sums(2000, "4000.00", "20000.0000")),
                variant("green", 3000, "purchase", conversions(330), "revenue", sums(1560, "3300.00", "16800.0000")),
                variant("red", 3000, "purchase", conversions(290), "revenue", sums(1500, "2900.00", "14000.0000")));

        ExperimentResults r = compute(spec, data);

        for (Comparison c : r.comparisons()) {
            assertNotNull(c.sequentialCi(), c.variant() + "/" + c.metric());
            assertTrue(c.sequentialCi().contains(c.absoluteLift()), c.variant() + "/" + c.metric());
            assertFalse(c.significant(), c.variant() + "/" + c.metric());
        }
    }

    @Test
    void aPValueTiedWithAlphaToTheLastDigits_isNotSignificantWhenTheIntervalTouchesZero() {
        // t = 1 on 1 degree of freedom: p = 0.5 exactly, computed 3 ulps low; α = 1 − 0.5000000000000001 is 1 ulp below 0.5,
        // and the interval at 1 − α runs from 0 to 1 exactly, computed from −8e−16 (found by ResultsFuzzTest)
        ExperimentSpec spec = Fixtures.spec("{'key': 'k', 'variants': [{'key': 'control', 'weight': 0.5}, {'key': 'green', 'weight': 0.5}],"
                + "'metrics': [{'key': 'revenue', 'type': 'mean', 'role': 'primary'}], 'confidenceLevel': " + Math.nextUp(0.5) + "}");
        ExperimentResults r = compute(spec, List.of(variant("control", 6), variant("green", 2, "revenue", sums(1, "1", "1"))));

        Comparison c = r.comparison("green", "revenue").orElseThrow();
        assertEquals(0.5, c.pValue(), 1e-15);
        assertEquals(0.0, c.adjustedCi().lower(), 1e-15);
        assertEquals(!c.adjustedCi().contains(0), c.significant(), c.toString());
        assertFalse(c.significant(), "p = 0.5 exactly is above α = 0.4999999999999999");
    }

    @Test
    void hugeCounts_ofABillionUnits_giveFiniteExactResults() {
        long n = 1_000_000_000L;
        ExperimentResults r = compute(SPEC, List.of(
                variant("control", n, "purchase", conversions(100_000_000), "revenue",
                        sums(300_000_000, "1000000500000000", "1000001000000260000000"), "error", conversions(10_000_000)),
                variant("green", n + 20_000, "purchase", conversions(100_200_000), "revenue",
                        sums(300_000_000, "1000020500000000", "1000041000420260000000"), "error", conversions(10_000_000))));

        assertFalse(r.srm().mismatch());
        VariantMetric revenue = r.variants().get(0).metrics().get(1);
        assertEquals(1000000.5, revenue.mean(), 1e-9);
        assertEquals(0.1, revenue.stdDev(), 1e-9, "the variance survives Σx² ≈ 10²¹ exactly");
        Comparison purchase = r.comparison("green", "purchase").orElseThrow();
        assertTrue(purchase.significant());
        assertTrue(purchase.probabilityToBeatControl() > 0.999);
        assertTrue(purchase.sequentialPValue() < 0.05);
        assertEquals(Decision.SHIP, r.recommendation().decision());
    }

    @Test
    void variantOfWeightZero_withNoUnits_doesNotBreakTheSrmCheck() {
        ExperimentSpec spec = Fixtures.spec("{'key': 'three-arms', 'variants': [{'key': 'control', 'weight': 0.5},"
                + "{'key': 'green', 'weight': 0.5}, {'key': 'red', 'weight': 0.0}],"
                + "'metrics': [{'key': 'purchase', 'type': 'conversion', 'role': 'primary'}]}");
        ExperimentResults r = compute(spec, List.of(variant("control", 5012, "purchase", conversions(512)),
                variant("green", 4988, "purchase", conversions(530))));

        assertFalse(r.srm().mismatch());
        assertEquals(1, r.srm().degreesOfFreedom());
        assertEquals(0.0, r.srm().expected().get("red"));
        assertEquals(0.8103302566044083, r.srm().pValue(), 1e-9, "scipy.stats.chisquare([5012, 4988], [5000, 5000])");
        assertEquals(2, r.comparisons().size());
    }

    @Test
    void unitsInAVariantOfWeightZero_areAMismatch() {
        ExperimentSpec spec = Fixtures.spec("{'key': 'three-arms', 'variants': [{'key': 'control', 'weight': 0.5},"
                + "{'key': 'green', 'weight': 0.5}, {'key': 'red', 'weight': 0.0}]}");
        ExperimentResults r = compute(spec, List.of(variant("control", 500), variant("green", 500), variant("red", 1)));

        assertTrue(r.srm().mismatch());
        assertEquals(0.0, r.srm().pValue());
    }

    @Test
    void aggregatesOfAnUnknownVariant_areIgnored() {
        ExperimentResults r = compute(SPEC, List.of(variant("control", 500), variant("green", 500), variant("gone", 900)));

        assertEquals(Map.of("control", 500L, "green", 500L), r.srm().observed());
    }

    @Test
    void experimentWithoutMetrics_hasNoComparisonsAndIsInconclusive() {
        ExperimentSpec spec = Fixtures.spec("{'key': 'bare', 'variants': [{'key': 'control', 'weight': 0.5}, {'key': 'green', 'weight': 0.5}]}");
        ExperimentResults r = compute(spec, List.of(variant("control", 500), variant("green", 500)));

        assertTrue(r.comparisons().isEmpty());
        assertNull(r.power().metric());
        assertEquals("no primary metric", r.power().reason());
        assertEquals(Decision.INCONCLUSIVE, r.recommendation().decision());
    }

    static void assertAllNumbersFinite(JsonNode node, String path) {
        if (node.isNumber()) {
            assertTrue(Double.isFinite(node.doubleValue()), path + " is finite");
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                assertAllNumbersFinite(e.getValue(), path + "." + e.getKey());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                assertAllNumbersFinite(node.get(i), path + "[" + i + "]");
            }
        } else {
            assertFalse(node.isTextual() && (node.textValue().equals("NaN") || node.textValue().contains("Infinity")), path);
        }
    }
}
