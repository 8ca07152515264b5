package io.splitline.results;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.results.ExperimentResults.Comparison;
import io.splitline.results.ExperimentResults.SegmentResult;
import io.splitline.stats.CovariateMoments;
import io.splitline.stats.CovariateSums;
import io.splitline.stats.CupedEstimate;
import io.splitline.stats.Interval;
import io.splitline.stats.MetricAggregate;
import io.splitline.stats.MultipleTesting;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The optional inputs of {@link ResultsCalculator}: covariate sums give each comparison a CUPED estimate beside
 * the raw one, segment aggregates give exploratory per-segment tables; without them the output is unchanged,
 * and neither ever changes the recommendation.
 */
class CupedAndSegmentResultsTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final ExperimentSpec SPEC = Fixtures.checkout(0.05, 100);

    @Test
    void withoutCovariatesOrSegments_theOutputIsUnchanged() {
        List<VariantAggregates> data = List.of(arm(new Random(1), "control", 3000, 0, false), arm(new Random(2), "green", 3000, 0.3, false));

        JsonNode plain = ResultsJson.toJson(ResultsCalculator.compute(SPEC, ExperimentStatus.RUNNING, data, NOW));
        JsonNode withNothing = ResultsJson.toJson(ResultsCalculator.compute(SPEC, ExperimentStatus.RUNNING, data, List.of(), NOW));

        assertEquals(plain, withNothing);
        assertFalse(plain.has("segments"));
        plain.get("comparisons").forEach(c -> assertFalse(c.has("cuped"), c.toString()));
    }

    @Test
    void covariates_addCupedBesideTheRawEstimate_narrowerAndConsistent_withoutChangingTheDecision() {
        List<VariantAggregates> withCovariates = List.of(arm(new Random(3), "control", 3000, 0, true),
                arm(new Random(4), "green", 3000, 0.3, true));
        List<VariantAggregates> without = withCovariates.stream()
                .map(v -> new VariantAggregates(v.variant(), v.units(), v.metrics())).toList();

        ExperimentResults r = ResultsCalculator.compute(SPEC, ExperimentStatus.RUNNING, withCovariates, NOW);
        ExperimentResults raw = ResultsCalculator.compute(SPEC, ExperimentStatus.RUNNING, without, NOW);

        assertEquals(raw.recommendation(), r.recommendation());
        Comparison revenue = r.comparison("green", "revenue").orElseThrow();
        ExperimentResults.Cuped cuped = revenue.cuped();
        assertNotNull(cuped);
        // the wiring hands the stored sums to the estimator unchanged
        CupedEstimate direct = CupedEstimate.of(moments(withCovariates.get(0), "revenue", false),
                moments(withCovariates.get(1), "revenue", false));
        assertEquals(direct.theta(), cuped.theta());
        assertEquals(direct.test().pValue(), cuped.pValue());
        assertTrue(cuped.varianceReduction() > 0.3, "a covariate with rho ≈ 0.8 removes much of the variance: " + cuped.varianceReduction());
        assertTrue(width(cuped.ci()) < width(revenue.relativeLiftCi()), "CUPED narrows the interval");
        // the purchase conversion metric gets CUPED too (y the conversion indicator)
        assertNotNull(r.comparison("green", "purchase").orElseThrow().cuped());
        // a metric without covariates in any arm gets none
        assertNull(r.comparison("green", "error").orElseThrow().cuped());
        for (Comparison c : r.comparisons()) {
            if (c.cuped() != null && c.cuped().adjustedCi() != null) {
                boolean excludesZero = !c.cuped().adjustedCi().contains(0);
                assertEquals(c.cuped().significant(), excludesZero, c.metric());
                assertEquals(c.cuped().significant(), c.cuped().adjustedPValue() <= 0.05, c.metric());
            }
        }
        JsonNode json = ResultsJson.toJson(r).get("comparisons").get(1);
        assertEquals("revenue", json.get("metric").textValue());
        assertEquals(cuped.theta(), json.get("cuped").get("theta").doubleValue());
        assertEquals(2, json.get("cuped").get("adjustedCi").size());
    }

    @Test
    void segments_areExploratory_adjustedAcrossSegments_withTheirOwnSrm_andNeverDriveTheDecision() {
        Random rng = new Random(5);
        List<VariantAggregates> whole = List.of(arm(rng, "control", 4000, 0, false), arm(rng, "green", 4000, 0.2, false));
        List<SegmentAggregates> segments = List.of(
                new SegmentAggregates("country", "DE", List.of(arm(rng, "control", 2000, 0, false), arm(rng, "green", 2000, 0.4, false))),
                new SegmentAggregates("country", "FR", List.of(arm(rng, "control", 1500, 0, false), arm(rng, "green", 1000, 0, false))),
                new SegmentAggregates("plan", "pro", List.of(arm(rng, "control", 500, 0, true), arm(rng, "green", 520, 0, true))));

        ExperimentResults r = ResultsCalculator.compute(SPEC, ExperimentStatus.RUNNING, whole, segments, NOW);
        ExperimentResults withoutSegments = ResultsCalculator.compute(SPEC, ExperimentStatus.RUNNING, whole, NOW);

        assertEquals(withoutSegments.recommendation(), r.recommendation());
        assertEquals(withoutSegments.comparisons(), r.comparisons());
        assertEquals(3, r.segments().size());
        SegmentResult fr = r.segments().get(1);
        assertEquals("country", fr.dimension());
        assertEquals("FR", fr.value());
        assertTrue(fr.srm().mismatch(), "1500 vs 1000 units under a 50/50 split is a mismatch in that segment");
        assertFalse(r.segments().get(0).srm().mismatch());
        assertEquals(2, fr.variants().size());
        assertEquals(1500, fr.variants().get(0).units());
        // one family: every comparison of every segment, by the experiment's correction (Holm)
        List<Comparison> all = new ArrayList<>();
        r.segments().forEach(s -> all.addAll(s.comparisons()));
        assertEquals(3 * SPEC.metrics().size(), all.size());
        double[] holm = MultipleTesting.holm(all.stream().mapToDouble(Comparison::pValue).toArray());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(holm[i], all.get(i).adjustedPValue(), 1e-15);
        }
        assertNotNull(r.segments().get(2).comparisons().get(1).cuped(), "a segment's covariates give it CUPED");

        JsonNode json = ResultsJson.toJson(r).get("segments");
        assertEquals(3, json.size());
        assertTrue(json.get(0).get("exploratory").booleanValue());
        assertEquals("DE", json.get(0).get("value").textValue());
        assertTrue(json.get(1).get("srm").get("mismatch").booleanValue());
    }

    @Test
    void aSegmentGivenTwice_isRejected() {
        List<VariantAggregates> arms = List.of(VariantAggregates.empty("control"), VariantAggregates.empty("green"));
        List<SegmentAggregates> twice = List.of(new SegmentAggregates("country", "DE", arms),
                new SegmentAggregates("country", "DE", arms));

        assertThrows(IllegalArgumentException.class,
                () -> ResultsCalculator.compute(SPEC, ExperimentStatus.RUNNING, arms, twice, NOW));
    }

    /**
     * n simulated units: a pre-exposure spend x, revenue y = max(0, 2 + 0.8x + noise + lift) in cents, purchase
     * when y > 6, error at 2 %; with covariates, the exact sums of x for revenue and purchase.
     */
    private static VariantAggregates arm(Random rng, String variant, int n, double lift, boolean covariates) {
        long purchases = 0;
        long errors = 0;
        BigDecimal sy = BigDecimal.ZERO;
        BigDecimal syy = BigDecimal.ZERO;
        BigDecimal sx = BigDecimal.ZERO;
        BigDecimal sxx = BigDecimal.ZERO;
        BigDecimal sxy = BigDecimal.ZERO;
        BigDecimal sxPurchased = BigDecimal.ZERO;
        long revenueUnits = 0;
        for (int i = 0; i < n; i++) {
            long xInt = Math.max(0, Math.round(5 + 2 * rng.nextGaussian()));
            BigDecimal x = BigDecimal.valueOf(xInt);
            BigDecimal y = BigDecimal.valueOf(Math.max(0, Math.round((2 + 0.8 * xInt + rng.nextGaussian() + lift) * 100)), 2);
            sy = sy.add(y);
            syy = syy.add(y.multiply(y));
            sx = sx.add(x);
            sxx = sxx.add(x.multiply(x));
            sxy = sxy.add(x.multiply(y));
            if (y.signum() > 0) {
                revenueUnits++;
            }
            if (y.compareTo(BigDecimal.valueOf(6)) > 0) {
                purchases++;
                sxPurchased = sxPurchased.add(x);
            }
            if (rng.nextDouble() < 0.02) {
                errors++;
            }
        }
        Map<String, MetricAggregate> metrics = Map.of("revenue", new MetricAggregate(revenueUnits, sy, syy),
                "purchase", Fixtures.conversions(purchases), "error", Fixtures.conversions(errors));
        Map<String, CovariateSums> sums = !covariates ? Map.of() : Map.of(
                "revenue", new CovariateSums(sx, sxx, sxy), "purchase", new CovariateSums(sx, sxx, sxPurchased));
        return new VariantAggregates(variant, n, metrics, sums, Map.of());
    }

    private static CovariateMoments moments(VariantAggregates a, String metric, boolean conversion) {
        return CovariateMoments.of(a.units(), a.metric(metric), conversion, a.covariates().get(metric));
    }

    private static double width(Interval i) {
        return i.upper() - i.lower();
    }
}
