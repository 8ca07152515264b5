package io.splitline.results;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.Direction;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.stats.Distributions;
import io.splitline.stats.EffectTest;
import io.splitline.stats.GuardrailTest;
import io.splitline.stats.Interval;
import io.splitline.stats.LiftEstimates;
import io.splitline.stats.MeanSample;
import io.splitline.stats.MetricAggregate;
import io.splitline.stats.MultipleTesting;
import io.splitline.stats.PowerAnalysis;
import io.splitline.stats.ProportionSample;
import io.splitline.stats.SequentialTest;
import io.splitline.stats.TwoSampleTests;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Monte Carlo checks of the error rates the statistics promise, with fixed seeds (so the counts below
 * are reproducible) and bounds of three binomial standard errors around the promised rate.
 */
class SimulationTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aaConversionExperiments_significantRateIsWithinBinomialErrorOfOneMinusConfidence() {
        // given 2000 A/A experiments (true rate 10 % in both arms, 1000 units each)
        ExperimentSpec spec = Fixtures.spec("{'key': 'aa', 'variants': [{'key': 'arm-a', 'weight': 0.5}, {'key': 'arm-b', 'weight': 0.5}],"
                + "'metrics': [{'key': 'buy', 'type': 'conversion', 'role': 'primary'}]}");
        SplittableRandom rng = new SplittableRandom(20260101L);
        int experiments = 2000;
        int significant = 0;
        for (int e = 0; e < experiments; e++) {
            List<VariantAggregates> data = List.of(
                    Fixtures.variant("arm-a", 1000, "buy", Fixtures.conversions(binomial(rng, 1000, 0.1))),
                    Fixtures.variant("arm-b", 1000, "buy", Fixtures.conversions(binomial(rng, 1000, 0.1))));
            // when
            ExperimentResults r = ResultsCalculator.compute(spec, ExperimentStatus.RUNNING, data, NOW);
            if (r.comparisons().get(0).significant()) {
                significant++;
            }
        }
        // then
        assertRateNear(significant, experiments, 0.05);
    }

    @Test
    void aaRevenueExperiments_significantRateIsWithinBinomialErrorOfOneMinusConfidence() {
        // given 1500 A/A experiments on a skewed revenue metric (70 % zeros), 800 units per arm, 90 % confidence
        ExperimentSpec spec = Fixtures.spec("{'key': 'aa', 'variants': [{'key': 'arm-a', 'weight': 0.5}, {'key': 'arm-b', 'weight': 0.5}],"
                + "'metrics': [{'key': 'revenue', 'type': 'mean', 'role': 'primary'}], 'confidenceLevel': 0.9}");
        SplittableRandom rng = new SplittableRandom(7L);
        int experiments = 1500;
        int significant = 0;
        for (int e = 0; e < experiments; e++) {
            List<VariantAggregates> data = List.of(
                    Fixtures.variant("arm-a", 800, "revenue", revenue(rng, 800)),
                    Fixtures.variant("arm-b", 800, "revenue", revenue(rng, 800)));
            if (ResultsCalculator.compute(spec, ExperimentStatus.RUNNING, data, NOW).comparisons().get(0).significant()) {
                significant++;
            }
        }
        assertRateNear(significant, experiments, 0.10);
    }

    @Test
    void sequentialPValue_checkedAfterEvery100Units_keepsFalsePositivesAtMost5Percent() {
        // given 1000 A/A experiments, looked at after every 100 units per arm up to 10 000
        SequentialTest sequential = new SequentialTest();
        SplittableRandom rng = new SplittableRandom(42L);
        int experiments = 1000;
        int sequentialFalsePositives = 0;
        int naiveFalsePositives = 0;
        for (int e = 0; e < experiments; e++) {
            long n = 0;
            long xa = 0;
            long xb = 0;
            boolean sequentialRejected = false;
            boolean naiveRejected = false;
            for (int look = 0; look < 100; look++) {
                n += 100;
                xa += binomial(rng, 100, 0.1);
                xb += binomial(rng, 100, 0.1);
                ProportionSample a = new ProportionSample(n, xa);
                ProportionSample b = new ProportionSample(n, xb);
                // when
                sequentialRejected |= sequential.twoSided(a, b).pValue() <= 0.05;
                naiveRejected |= TwoSampleTests.zTest(a, b).pValue() <= 0.05;
            }
            sequentialFalsePositives += sequentialRejected ? 1 : 0;
            naiveFalsePositives += naiveRejected ? 1 : 0;
        }
        // then: peeking at the fixed-horizon p-value inflates the error; the always-valid one does not
        assertTrue(sequentialFalsePositives <= 0.05 * experiments,
                "sequential false positives " + sequentialFalsePositives + " of " + experiments);
        assertTrue(naiveFalsePositives >= 0.2 * experiments,
                "peeking at the z-test flags " + naiveFalsePositives + " of " + experiments + " (the problem being solved)");
    }

    @Test
    void sequentialPValue_onASkewedMean_checkedAfterEvery100Units_keepsFalsePositivesAtMost5Percent() {
        SequentialTest sequential = new SequentialTest();
        SplittableRandom rng = new SplittableRandom(4242L);
        int experiments = 500;
        int falsePositives = 0;
        for (int e = 0; e < experiments; e++) {
            long[] a = new long[4];
            long[] b = new long[4];
            boolean rejected = false;
            for (int look = 0; look < 50; look++) {
                addRevenue(rng, a, 100);
                addRevenue(rng, b, 100);
                rejected |= sequential.twoSided(meanSample(a), meanSample(b)).pValue() <= 0.05;
            }
            falsePositives += rejected ? 1 : 0;
        }
        assertTrue(falsePositives <= 0.05 * experiments, "false positives " + falsePositives + " of " + experiments);
    }

    @Test
    void injectedEffectOfTheMde_isDetectedAtRoughlyTheComputedPower() {
        // given control 10 %, treatment 11 % (the MDE of +10 %), at the computed units per arm
        double alpha = 0.05;
        long required = PowerAnalysis.proportions(new ProportionSample(1_000_000, 100_000), 0.10, Direction.INCREASE,
                alpha, 0.8).requiredUnitsPerVariant();
        SplittableRandom rng = new SplittableRandom(99L);
        int experiments = 1000;
        int detected = 0;
        for (int e = 0; e < experiments; e++) {
            ProportionSample control = new ProportionSample(required, binomial(rng, required, 0.10));
            ProportionSample treatment = new ProportionSample(required, binomial(rng, required, 0.11));
            // when
            var test = TwoSampleTests.zTest(control, treatment);
            if (test.pValue() <= alpha && test.statistic() > 0) {
                detected++;
            }
        }
        // then
        assertRateNear(detected, experiments, 0.8);
    }

    @Test
    void guardrail_withEqualErrorRates_neverFlagsWorseInAtLeast95PercentOfRollouts() {
        // given 200 rollouts, error rate 2 % in both arms, checked after every 500 units per arm up to 10 000
        GuardrailTest gate = new GuardrailTest();
        SplittableRandom rng = new SplittableRandom(5L);
        int flagged = 0;
        for (int r = 0; r < 200; r++) {
            flagged += firstFlag(gate, rng, 0.02, 0.02, 500, 20) >= 0 ? 1 : 0;
        }
        assertTrue(flagged <= 10, flagged + " of 200 rollouts flagged a regression that does not exist");
    }

    @Test
    void guardrail_withTwiceTheErrorRate_flagsOnceThereAreEnoughUnits() {
        // given 200 rollouts, errors 2 % in control and 4 % in treatment, looks every 500 units per arm
        GuardrailTest gate = new GuardrailTest();
        SplittableRandom rng = new SplittableRandom(6L);
        int flaggedBy10000 = 0;
        int flaggedAtFirstLook = 0;
        for (int r = 0; r < 200; r++) {
            int look = firstFlag(gate, rng, 0.02, 0.04, 500, 20);
            flaggedBy10000 += look >= 0 ? 1 : 0;
            flaggedAtFirstLook += look == 0 ? 1 : 0;
        }
        assertTrue(flaggedBy10000 >= 195, "flagged by 10 000 units per arm: " + flaggedBy10000 + " of 200");
        assertTrue(flaggedAtFirstLook < flaggedBy10000, "500 units are not enough for most rollouts");
    }

    @Test
    void guardrail_withATreatmentThatHalvesErrors_neverFlags() {
        GuardrailTest gate = new GuardrailTest();
        SplittableRandom rng = new SplittableRandom(8L);
        for (int r = 0; r < 50; r++) {
            assertTrue(firstFlag(gate, rng, 0.04, 0.02, 500, 20) < 0, "an improvement is never a regression");
        }
    }

    @Test
    void relativeLiftInterval_coversAt95Percent_atTenUnitsPerArm_andAtFortyAgainstFour() {
        // given normal per-unit values, control mean 10, treatment mean 11 (a true lift of +10 %): 10 units per
        // arm with sd 2 in both, and 40 control units (sd 1) against 4 treatment units (sd 3): the small arm is
        // also the noisy one, the unbalanced case where the normal quantile fails most (86 % here)
        SplittableRandom rng = new SplittableRandom(2014L);
        for (double[] design : new double[][] {{10, 2, 10, 2}, {40, 1, 4, 3}}) {
            int experiments = 20_000;
            int coveredT = 0;
            int coveredNormal = 0;
            for (int e = 0; e < experiments; e++) {
                MeanSample control = normalSample(rng, (int) design[0], 10, design[1]);
                MeanSample treatment = normalSample(rng, (int) design[2], 11, design[3]);
                // when
                Interval t = LiftEstimates.means(control, treatment, 0.95).relativeCi();
                EffectTest test = EffectTest.relative(control, treatment);
                double normalHalf = Distributions.normalQuantile(0.975) * test.standardError();
                coveredT += t.contains(0.1) ? 1 : 0;
                coveredNormal += Math.abs(test.estimate() - 0.1) <= normalHalf ? 1 : 0;
            }
            // then: the t quantile with Welch df keeps the nominal coverage; the normal one would not
            double coverage = (double) coveredT / experiments;
            double normalCoverage = (double) coveredNormal / experiments;
            String figures = String.format(java.util.Locale.ROOT, "%.0f vs %.0f units: t coverage %.4f, normal %.4f",
                    design[0], design[2], coverage, normalCoverage);
            assertTrue(coverage >= 0.94 && coverage <= 0.965, figures);
            assertTrue(normalCoverage < 0.94, figures);
        }
    }

    @Test
    void alwaysValidInterval_coversTheTrueDifferenceAtEveryLookAtOnce_inAtLeast95PercentOfExperiments() {
        // given 400 experiments, 10 % against 11 % conversion, looked at after every 250 units per arm up to 10 000
        SequentialTest sequential = new SequentialTest(SequentialTest.tunedMixingEffectSize(0.05, 2500));
        SplittableRandom rng = new SplittableRandom(1401L);
        int experiments = 400;
        int missedAtSomeLook = 0;
        for (int e = 0; e < experiments; e++) {
            long n = 0;
            long xc = 0;
            long xt = 0;
            boolean missed = false;
            for (int look = 0; look < 40; look++) {
                n += 250;
                xc += binomial(rng, 250, 0.10);
                xt += binomial(rng, 250, 0.11);
                // when
                Interval ci = sequential.twoSidedInterval(new ProportionSample(n, xc), new ProportionSample(n, xt), 0.05);
                missed |= !ci.contains(0.01);
            }
            missedAtSomeLook += missed ? 1 : 0;
        }
        // then
        assertTrue(missedAtSomeLook <= 0.05 * experiments, missedAtSomeLook + " of " + experiments
                + " experiments had an interval without the true difference at some look");
    }

    @Test
    void benjaminiHochberg_keepsTheFalseDiscoveryRateBelowAlpha_andFindsMoreThanHolm() {
        // given 2000 families of 10 tests: 5 true nulls (z ~ N(0, 1)) and 5 real effects (z ~ N(3, 1))
        SplittableRandom rng = new SplittableRandom(1995L);
        int families = 2000;
        double falseDiscoveryProportions = 0;
        int bhDiscoveries = 0;
        int holmDiscoveries = 0;
        for (int f = 0; f < families; f++) {
            double[] p = new double[10];
            for (int i = 0; i < 10; i++) {
                p[i] = Distributions.normalTwoSided(gaussian(rng) + (i < 5 ? 0 : 3));
            }
            // when
            double[] bh = MultipleTesting.benjaminiHochberg(p);
            double[] holm = MultipleTesting.holm(p);
            int rejected = 0;
            int falselyRejected = 0;
            for (int i = 0; i < 10; i++) {
                rejected += bh[i] <= 0.05 ? 1 : 0;
                falselyRejected += bh[i] <= 0.05 && i < 5 ? 1 : 0;
                holmDiscoveries += holm[i] <= 0.05 ? 1 : 0;
            }
            bhDiscoveries += rejected;
            falseDiscoveryProportions += rejected == 0 ? 0 : (double) falselyRejected / rejected;
        }
        // then: BH promises FDR ≤ (5/10)·α = 2.5 % here
        double fdr = falseDiscoveryProportions / families;
        assertTrue(fdr <= 0.05, "false discovery rate " + fdr);
        assertTrue(bhDiscoveries > holmDiscoveries, "BH " + bhDiscoveries + " discoveries, Holm " + holmDiscoveries);
    }

    private static MeanSample normalSample(SplittableRandom rng, int units, double mean, double sd) {
        double sum = 0;
        double sumSquares = 0;
        for (int i = 0; i < units; i++) {
            double x = mean + sd * gaussian(rng);
            sum += x;
            sumSquares += x * x;
        }
        return MeanSample.fromSums(units, BigDecimal.valueOf(sum), BigDecimal.valueOf(sumSquares));
    }

    static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    /** Index of the first look at which the gate flags "worse", or -1. */
    private static int firstFlag(GuardrailTest gate, SplittableRandom rng, double controlRate, double treatmentRate,
                                 int unitsPerLook, int looks) {
        long n = 0;
        long xc = 0;
        long xt = 0;
        int first = -1;
        for (int look = 0; look < looks; look++) {
            n += unitsPerLook;
            xc += binomial(rng, unitsPerLook, controlRate);
            xt += binomial(rng, unitsPerLook, treatmentRate);
            boolean worse = gate.evaluate(new ProportionSample(n, xc), new ProportionSample(n, xt), Direction.DECREASE, 0.05)
                    .worse();
            if (worse && first < 0) {
                first = look;
            }
        }
        return first;
    }

    private static void assertRateNear(int hits, int trials, double expected) {
        double rate = (double) hits / trials;
        double threeSigma = 3 * Math.sqrt(expected * (1 - expected) / trials);
        assertTrue(Math.abs(rate - expected) <= threeSigma, String.format(java.util.Locale.ROOT,
                "rate %.4f (%d of %d) is not within %.4f of %.2f", rate, hits, trials, threeSigma, expected));
    }

    static long binomial(SplittableRandom rng, long n, double p) {
        long x = 0;
        for (long i = 0; i < n; i++) {
            if (rng.nextDouble() < p) {
                x++;
            }
        }
        return x;
    }

    /** Revenue in cents: 70 % of units buy nothing, buyers spend a log-normal amount. */
    private static long revenueCents(SplittableRandom rng) {
        if (rng.nextDouble() >= 0.3) {
            return 0;
        }
        return Math.round(Math.exp(3.0 + gaussian(rng)) * 100);
    }

    private static MetricAggregate revenue(SplittableRandom rng, int units) {
        long[] acc = new long[4];
        addRevenue(rng, acc, units);
        return new MetricAggregate(acc[0], BigDecimal.valueOf(acc[1], 2), BigDecimal.valueOf(acc[2], 4));
    }

    /** acc = {positive units, Σ cents, Σ cents², units}. */
    private static void addRevenue(SplittableRandom rng, long[] acc, int units) {
        for (int i = 0; i < units; i++) {
            long cents = revenueCents(rng);
            acc[0] += cents > 0 ? 1 : 0;
            acc[1] += cents;
            acc[2] += cents * cents;
            acc[3]++;
        }
    }

    private static MeanSample meanSample(long[] acc) {
        return MeanSample.fromSums(acc[3], BigDecimal.valueOf(acc[1], 2), BigDecimal.valueOf(acc[2], 4));
    }
}
