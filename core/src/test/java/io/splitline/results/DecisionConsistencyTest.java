package io.splitline.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.results.ExperimentResults.Comparison;
import io.splitline.stats.EffectTest;
import io.splitline.stats.Interval;
import io.splitline.stats.MetricAggregate;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * A decision never quotes numbers from another test than the one that made it. Over many random
 * experiments (1–4 treatments, 1–5 metrics of both types, 2 to 5 000 units, small and large effects,
 * Holm and Benjamini–Hochberg, confidence 80–99 %), every comparison satisfies
 * {@code significant ⇔ adjustedCi excludes 0 ⇔ adjustedPValue ≤ α}; the unadjusted relative interval
 * agrees with the raw p-value the same way; the always-valid interval excludes 0 exactly when the
 * sequential p-value is at most its level; and a {@code ship} quotes the deciding test's interval.
 */
class DecisionConsistencyTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void significance_adjustedInterval_andAdjustedPValue_alwaysAgree_overRandomExperiments() {
        SplittableRandom rng = new SplittableRandom(141414L);
        int comparisons = 0;
        int significant = 0;
        int ships = 0;
        for (int e = 0; e < 400; e++) {
            ExperimentSpec spec = randomSpec(rng);
            List<VariantAggregates> data = randomData(rng, spec);
            ExperimentResults r = ResultsCalculator.compute(spec, ExperimentStatus.RUNNING, data, NOW);
            double alpha = 1 - spec.confidenceLevel();
            for (Comparison c : r.comparisons()) {
                comparisons++;
                significant += c.significant() ? 1 : 0;
                assertConsistent(c, alpha, r.sequential().confidenceLevel());
            }
            if (r.recommendation().decision() == Decision.SHIP) {
                ships++;
                String primary = spec.metrics().stream().filter(m -> m.role().json().equals("primary")).findFirst()
                        .orElseThrow().key();
                Comparison c = r.comparison(r.recommendation().variant(), primary).orElseThrow();
                assertTrue(c.significant() && excludesZero(c.adjustedCi()));
                assertTrue(r.recommendation().reasons().get(0).contains(c.test()), r.recommendation().reasons().get(0));
                assertTrue(r.recommendation().reasons().get(0).contains(quotedInterval(c)), r.recommendation().reasons().get(0));
            }
        }
        // the random designs exercise both sides of every equivalence
        assertTrue(significant > comparisons / 10 && significant < comparisons * 9 / 10,
                significant + " of " + comparisons + " significant");
        assertTrue(ships > 10, ships + " ships");
    }

    private static void assertConsistent(Comparison c, double alpha, double sequentialLevel) {
        String where = c.variant() + "/" + c.metric() + " " + c;
        boolean defined = c.estimate() != null;
        assertEquals(defined && c.adjustedPValue() <= alpha, c.significant(), where);
        if (defined) {
            assertNotNull(c.adjustedCi(), where);
            assertEquals(c.significant(), excludesZero(c.adjustedCi()), where);
            assertTrue(c.adjustedCi().contains(c.estimate()), where);
            assertEquals(c.scale().equals("relative") ? c.relativeLift() : c.absoluteLift(), c.estimate(), 1e-12, where);
            assertTrue(c.adjustedCiLevel() >= 1 - alpha - 1e-12, where);
            if (c.scale().equals("relative")) {
                assertEquals(EffectTest.RELATIVE, c.test(), where);
                assertEquals(c.pValue() <= alpha, excludesZero(c.relativeLiftCi()), where);
            } else {
                assertEquals(EffectTest.ABSOLUTE, c.test(), where);
            }
        } else {
            assertNull(c.adjustedCi(), where);
            assertEquals(1.0, c.pValue(), where);
        }
        if (c.sequentialCi() != null) {
            assertEquals(c.sequentialPValue() <= 1 - sequentialLevel, excludesZero(c.sequentialCi()), where);
        }
    }

    private static boolean excludesZero(Interval i) {
        return i != null && !i.contains(0);
    }

    /** The interval as the recommendation prints it. */
    private static String quotedInterval(Comparison c) {
        boolean relative = c.scale().equals("relative");
        DoubleFunction<String> f = relative ? d -> String.format(Locale.ROOT, "%+.2f%%", d * 100)
                : d -> String.format(Locale.ROOT, "%+.4g", d);
        return "CI " + f.apply(c.adjustedCi().lower()) + " to " + f.apply(c.adjustedCi().upper());
    }

    private static ExperimentSpec randomSpec(SplittableRandom rng) {
        int treatments = 1 + rng.nextInt(4);
        int metrics = 1 + rng.nextInt(5);
        StringBuilder json = new StringBuilder("{'key': 'prop', 'variants': [");
        double weight = 1.0 / (treatments + 1);
        for (int i = 0; i <= treatments; i++) {
            json.append(i == 0 ? "" : ", ").append("{'key': 'v").append(i).append("', 'weight': ")
                    .append(i == treatments ? 1 - weight * treatments : weight).append('}');
        }
        json.append("], 'metrics': [");
        for (int m = 0; m < metrics; m++) {
            json.append(m == 0 ? "" : ", ").append("{'key': 'm").append(m).append("', 'type': '")
                    .append(rng.nextBoolean() ? "conversion" : "mean").append("', 'direction': '")
                    .append(rng.nextBoolean() ? "increase" : "decrease").append("', 'role': '")
                    .append(m == 0 ? "primary" : rng.nextInt(3) == 0 ? "guardrail" : "secondary").append("'}");
        }
        json.append("], 'minimumSampleSize': 2, 'confidenceLevel': ").append(0.8 + 0.19 * rng.nextDouble())
                .append(", 'multipleTesting': '").append(rng.nextBoolean() ? "holm" : "benjamini_hochberg").append("'}");
        return Fixtures.spec(json.toString());
    }

    /**
     * Random aggregates per variant: each metric has a base rate or mean for the experiment, and each
     * treatment multiplies it by an effect of 0.7–1.4 (1 half of the time). The sufficient statistics are
     * drawn from their sampling distributions (normal mean, Wilson–Hilferty χ² variance) rather than unit
     * by unit, which keeps the test fast.
     */
    private static List<VariantAggregates> randomData(SplittableRandom rng, ExperimentSpec spec) {
        int metrics = spec.metrics().size();
        double[] base = new double[metrics];
        double[] spread = new double[metrics];
        for (int m = 0; m < metrics; m++) {
            boolean conversion = spec.metrics().get(m).type().json().equals("conversion");
            base[m] = conversion ? (rng.nextInt(10) == 0 ? 0.0 : 0.02 + 0.4 * rng.nextDouble()) : 5 + 10 * rng.nextDouble();
            spread[m] = 0.5 + 8 * rng.nextDouble();
        }
        // equal units in every variant, as the equal weights say: a sample ratio mismatch would hide the decision
        long units = switch (rng.nextInt(4)) {
            case 0 -> 2 + rng.nextInt(20);
            case 1 -> 20 + rng.nextInt(200);
            default -> 200 + rng.nextInt(20_000);
        };
        List<VariantAggregates> data = new ArrayList<>();
        for (var v : spec.variants()) {
            List<Object> aggregates = new ArrayList<>();
            for (int m = 0; m < metrics; m++) {
                double effect = v.key().equals(spec.control()) || rng.nextBoolean() ? 1.0 : 0.7 + 0.7 * rng.nextDouble();
                aggregates.add(spec.metrics().get(m).key());
                aggregates.add(spec.metrics().get(m).type().json().equals("conversion")
                        ? Fixtures.conversions(conversions(rng, units, Math.min(1.0, base[m] * effect)))
                        : normalSums(rng, units, base[m] * effect, spread[m]));
            }
            data.add(Fixtures.variant(v.key(), units, aggregates.toArray()));
        }
        return data;
    }

    private static long conversions(SplittableRandom rng, long units, double rate) {
        if (units < 100) {
            return SimulationTest.binomial(rng, units, rate);
        }
        double draw = units * rate + Math.sqrt(units * rate * (1 - rate)) * SimulationTest.gaussian(rng);
        return Math.max(0, Math.min(units, Math.round(draw)));
    }

    /** Σx and Σx² of a normal sample of {@code units} values, from a drawn mean and variance. */
    private static MetricAggregate normalSums(SplittableRandom rng, long units, double mean, double sd) {
        double sampleMean = mean + sd / Math.sqrt(units) * SimulationTest.gaussian(rng);
        long k = units - 1;
        double chi = k == 0 ? 0 : k * Math.pow(Math.max(0, 1 - 2.0 / (9 * k) + SimulationTest.gaussian(rng) * Math.sqrt(2.0 / (9 * k))), 3);
        double sumSquares = chi * sd * sd + units * sampleMean * sampleMean;
        return new MetricAggregate(units, BigDecimal.valueOf(units * sampleMean), BigDecimal.valueOf(sumSquares));
    }
}
