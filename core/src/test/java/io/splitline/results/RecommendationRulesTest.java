package io.splitline.results;

import static io.splitline.results.Fixtures.conversions;
import static io.splitline.results.Fixtures.variant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.results.ExperimentResults.Recommendation;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The recommendation rules on hand-made aggregates. Control converts at 10 %; with an MDE of 5 % the
 * planned sample is 57 763 units per variant, so 60 000 units reach it and 20 000 do not.
 */
class RecommendationRulesTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static Recommendation recommend(ExperimentSpec spec, VariantAggregates... data) {
        return ResultsCalculator.compute(spec, ExperimentStatus.RUNNING, List.of(data), NOW).recommendation();
    }

    private static VariantAggregates arm(String key, long units, long purchases, long errors) {
        return variant(key, units, "purchase", conversions(purchases), "error", conversions(errors));
    }

    private static boolean mentions(Recommendation r, String text) {
        return r.reasons().stream().anyMatch(reason -> reason.contains(text));
    }

    @Test
    void significantlyBetter_withThePlannedSampleReached_shipsTheVariant() {
        Recommendation r = recommend(Fixtures.checkout(0.05, 100),
                arm("control", 60_000, 6_000, 600), arm("green", 60_000, 6_600, 600));

        assertEquals(Decision.SHIP, r.decision());
        assertEquals("green", r.variant());
        assertTrue(mentions(r, "the planned sample size is reached"), r.reasons().toString());
    }

    @Test
    void significantlyBetter_butAGuardrailSignificantlyWorse_isNotShipped() {
        Recommendation r = recommend(Fixtures.checkout(0.05, 100),
                arm("control", 60_000, 6_000, 600), arm("green", 60_000, 6_600, 900));

        assertEquals(Decision.KEEP_CONTROL, r.decision());
        assertNull(r.variant());
        assertTrue(mentions(r, "significantly worsens guardrail error"), r.reasons().toString());
    }

    @Test
    void significantlyBetter_withASampleRatioMismatch_isInvalid() {
        Recommendation r = recommend(Fixtures.checkout(0.05, 100),
                arm("control", 60_000, 6_000, 600), arm("green", 62_000, 6_820, 620));

        assertEquals(Decision.INVALID, r.decision());
        assertNull(r.variant());
        assertTrue(mentions(r, "sample ratio mismatch"), r.reasons().toString());
    }

    @Test
    void significantlyBetter_belowTheMinimumSampleSize_needsMoreData() {
        Recommendation r = recommend(Fixtures.checkout(0.05, 60_001),
                arm("control", 60_000, 6_000, 600), arm("green", 60_000, 6_600, 600));

        assertEquals(Decision.NEEDS_MORE_DATA, r.decision());
        assertTrue(mentions(r, "control has 60000 units"), r.reasons().toString());
    }

    @Test
    void minimumSampleSize_isReachedAtExactlyThatManyUnits() {
        Recommendation r = recommend(Fixtures.checkout(0.05, 60_000),
                arm("control", 60_000, 6_000, 600), arm("green", 60_000, 6_600, 600));

        assertEquals(Decision.SHIP, r.decision());
    }

    @Test
    void noPrimaryMetric_isInconclusive() {
        ExperimentSpec spec = Fixtures.spec("{'key': 'checkout-button', 'variants': [{'key': 'control', 'weight': 0.5},"
                + "{'key': 'green', 'weight': 0.5}], 'metrics': [{'key': 'purchase', 'type': 'conversion'}]}");
        Recommendation r = recommend(spec, arm("control", 60_000, 6_000, 0), arm("green", 60_000, 6_600, 0));

        assertEquals(Decision.INCONCLUSIVE, r.decision());
        assertTrue(mentions(r, "no primary metric"));
    }

    @Test
    void significantBeforeThePlannedSample_butNotByTheAlwaysValidPValue_needsMoreData() {
        // z ≈ 2.96: significant at a fixed horizon, not yet by the sequential test (needs z ≈ 3.3 here)
        Recommendation r = recommend(Fixtures.checkout(0.05, 100),
                arm("control", 20_000, 2_000, 200), arm("green", 20_000, 2_180, 200));

        assertEquals(Decision.NEEDS_MORE_DATA, r.decision());
        assertTrue(mentions(r, "protection against peeking"), r.reasons().toString());
    }

    @Test
    void clearlyBetterBeforeThePlannedSample_shipsOnTheAlwaysValidPValue() {
        Recommendation r = recommend(Fixtures.checkout(0.05, 100),
                arm("control", 20_000, 2_000, 200), arm("green", 20_000, 2_500, 200));

        assertEquals(Decision.SHIP, r.decision());
        assertTrue(mentions(r, "always-valid p-value"), r.reasons().toString());
    }

    @Test
    void significantlyWorse_keepsControl() {
        Recommendation r = recommend(Fixtures.checkout(0.05, 100),
                arm("control", 60_000, 6_000, 600), arm("green", 60_000, 5_400, 600));

        assertEquals(Decision.KEEP_CONTROL, r.decision());
        assertTrue(mentions(r, "green is significantly worse than control on purchase"), r.reasons().toString());
    }

    @Test
    void noDifference_afterThePlannedSample_keepsControl() {
        Recommendation r = recommend(Fixtures.checkout(0.05, 100),
                arm("control", 60_000, 6_000, 600), arm("green", 60_000, 6_010, 600));

        assertEquals(Decision.KEEP_CONTROL, r.decision());
        assertTrue(mentions(r, "the planned 57763 units per variant are reached"), r.reasons().toString());
    }

    @Test
    void noDifference_beforeThePlannedSample_needsMoreData() {
        Recommendation r = recommend(Fixtures.checkout(0.05, 100),
                arm("control", 20_000, 2_000, 200), arm("green", 20_000, 2_010, 200));

        assertEquals(Decision.NEEDS_MORE_DATA, r.decision());
        assertTrue(mentions(r, "35% of the 57763 units per variant needed to detect a 5.0% effect on purchase"),
                r.reasons().toString());
    }

    @Test
    void noDifference_withoutAMinimumDetectableEffect_isInconclusive() {
        ExperimentSpec spec = Fixtures.spec("{'key': 'checkout-button', 'variants': [{'key': 'control', 'weight': 0.5},"
                + "{'key': 'green', 'weight': 0.5}], 'metrics': [{'key': 'purchase', 'type': 'conversion', 'role': 'primary'}]}");
        Recommendation r = recommend(spec, arm("control", 60_000, 6_000, 0), arm("green", 60_000, 6_010, 0));

        assertEquals(Decision.INCONCLUSIVE, r.decision());
        assertTrue(mentions(r, "minimumDetectableEffect"), r.reasons().toString());
    }

    @Test
    void twoBetterTreatments_shipTheLargerLift() {
        ExperimentSpec spec = Fixtures.spec("{'key': 'checkout-button', 'variants': [{'key': 'control', 'weight': 0.34},"
                + "{'key': 'green', 'weight': 0.33}, {'key': 'red', 'weight': 0.33}],"
                + "'metrics': [{'key': 'purchase', 'type': 'conversion', 'role': 'primary', 'minimumDetectableEffect': 0.05}]}");
        Recommendation r = recommend(spec, arm("control", 61_818, 6_182, 0), arm("green", 60_000, 6_600, 0),
                arm("red", 60_000, 6_900, 0));

        assertEquals(Decision.SHIP, r.decision());
        assertEquals("red", r.variant());
        assertTrue(mentions(r, "green is also better"), r.reasons().toString());
    }

    @Test
    void decreaseMetric_lowerIsBetter_shipsTheVariantThatReducesIt() {
        ExperimentSpec spec = Fixtures.spec("{'key': 'checkout-button', 'variants': [{'key': 'control', 'weight': 0.5},"
                + "{'key': 'green', 'weight': 0.5}], 'metrics': [{'key': 'churn', 'type': 'conversion',"
                + "'direction': 'decrease', 'role': 'primary', 'minimumDetectableEffect': 0.05}]}");
        Recommendation r = recommend(spec, variant("control", 60_000, "churn", conversions(6_000)),
                variant("green", 60_000, "churn", conversions(5_400)));

        assertEquals(Decision.SHIP, r.decision());
        assertEquals("green", r.variant());
    }

    @Test
    void meanMetric_significantOnlyByTheAbsoluteTest_isNotShipped_andItsQuotedIntervalIncludesZero() {
        // control: mean 1, sd 4; treatment: mean 2, sd 0.5; 100 units each. Welch on the absolute difference
        // gives t = 2.48 (p = 0.015), but the relative lift +100 % has t = 1.25 (p = 0.21): the noise of the
        // control mean is the noise of the denominator. The old rules shipped on the first and quoted the second.
        ExperimentSpec spec = Fixtures.spec("{'key': 'checkout-button', 'variants': [{'key': 'control', 'weight': 0.5},"
                + "{'key': 'green', 'weight': 0.5}], 'metrics': [{'key': 'revenue', 'type': 'mean', 'role': 'primary',"
                + "'minimumDetectableEffect': 0.05}]}");
        ExperimentResults r = ResultsCalculator.compute(spec, ExperimentStatus.RUNNING, List.of(
                variant("control", 100, "revenue", Fixtures.sums(60, "100", "1684")),
                variant("green", 100, "revenue", Fixtures.sums(100, "200", "424.75"))), NOW);

        ExperimentResults.Comparison c = r.comparison("green", "revenue").orElseThrow();
        assertEquals(io.splitline.stats.EffectTest.RELATIVE, c.test());
        assertEquals(1.0, c.estimate(), 1e-12);
        assertEquals(0.21, c.pValue(), 0.01);
        assertFalse(c.significant());
        assertTrue(c.adjustedCi().contains(0), c.adjustedCi().toString());
        assertTrue(c.absoluteLiftCi().lower() > 0, "the absolute Welch interval alone would have excluded 0");
        assertEquals(Decision.NEEDS_MORE_DATA, r.recommendation().decision());
        assertTrue(mentions(r.recommendation(), "green: no significant difference on revenue"), r.recommendation().reasons().toString());
    }

    @Test
    void shipReason_quotesTheDecidingTestsInterval_itsLevel_andItsName() {
        Recommendation r = recommend(Fixtures.checkout(0.05, 100),
                arm("control", 60_000, 6_000, 600), arm("green", 60_000, 6_600, 600));

        // three comparisons (purchase, revenue, error); purchase has the smallest p, so Holm tests it at α/3
        assertTrue(r.reasons().get(0).matches(".*\\(\\+10\\.00%, 98\\.33% CI \\+[0-9.]+% to \\+[0-9.]+%, adjusted p = .*"
                + "\\(welch-t, relative lift, delta method\\).*"), r.reasons().get(0));
    }
}
