package io.splitline.assignment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.experiment.Experiment;
import io.splitline.experiment.ExperimentStatus;
import java.util.Arrays;
import java.util.Map;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

/**
 * The statistical promises of the hash: uniform splits, independence across experiments, monotone
 * coverage and rollouts, and namespaces that partition units. Unit ids are deterministic, so every
 * run sees the same numbers.
 */
class AssignmentDistributionTest {
    private static final int UNITS = 100_000;
    private static final double ALPHA = 0.001;

    private static String unit(int i) {
        return "user-" + i;
    }

    @Test
    void split203050_over100000Units_passesChiSquareGoodnessOfFit() {
        // given
        double[] weights = {0.2, 0.3, 0.5};
        ExperimentAssigner assigner = ExperimentAssigner.of(TestExperiments.running("uniformity-check", weights, 1.0));
        // when
        long[] observed = new long[3];
        for (int i = 0; i < UNITS; i++) {
            observed[variantIndex(assigner.assign(unit(i), Map.of()))]++;
        }
        // then
        double[] expected = {0.2 * UNITS, 0.3 * UNITS, 0.5 * UNITS};
        double p = new ChiSquareTest().chiSquareTest(expected, observed);
        assertTrue(p > ALPHA, "p = " + p + " for observed " + Arrays.toString(observed));
    }

    @Test
    void twoExperiments_crossTabulateIndependently() {
        // given
        ExperimentAssigner a = ExperimentAssigner.of(TestExperiments.running("checkout-button", new double[] {0.5, 0.5}, 1.0));
        ExperimentAssigner b = ExperimentAssigner.of(TestExperiments.running("new-ranker", new double[] {0.2, 0.3, 0.5}, 1.0));
        // when
        long[][] table = new long[2][3];
        for (int i = 0; i < UNITS; i++) {
            table[variantIndex(a.assign(unit(i), Map.of()))][variantIndex(b.assign(unit(i), Map.of()))]++;
        }
        // then: chi-square test of independence on the 2×3 contingency table
        double p = new ChiSquareTest().chiSquareTest(table);
        assertTrue(p > ALPHA, "p = " + p);
    }

    @Test
    void unitInsideAt5Percent_isInsideWithTheSameVariantAt25And100Percent() {
        double[] weights = {0.2, 0.3, 0.5};
        ExperimentAssigner at5 = ExperimentAssigner.of(TestExperiments.running("monotone", weights, 0.05));
        ExperimentAssigner at25 = ExperimentAssigner.of(TestExperiments.running("monotone", weights, 0.25));
        ExperimentAssigner at100 = ExperimentAssigner.of(TestExperiments.running("monotone", weights, 1.0));
        int insideAt5 = 0;
        int insideAt25 = 0;
        for (int i = 0; i < UNITS; i++) {
            Assignment a5 = at5.assign(unit(i), Map.of());
            Assignment a25 = at25.assign(unit(i), Map.of());
            Assignment a100 = at100.assign(unit(i), Map.of());
            assertTrue(a100.inExperiment(), "coverage 1 takes everyone");
            if (a5.inExperiment()) {
                insideAt5++;
                assertTrue(a25.inExperiment(), unit(i) + " stays inside at 25%");
                assertEquals(a5.variant(), a25.variant(), unit(i) + " keeps its variant at 25%");
                assertEquals(a5.variant(), a100.variant(), unit(i) + " keeps its variant at 100%");
            }
            if (a25.inExperiment()) {
                insideAt25++;
                assertEquals(a25.variant(), a100.variant(), unit(i) + " keeps its variant at 100%");
            } else {
                assertEquals(AssignmentReason.NOT_COVERED, a25.reason());
            }
        }
        // coverage is the share that enters (±1 percentage point over 100 000 units)
        assertTrue(Math.abs(insideAt5 - 0.05 * UNITS) < 0.01 * UNITS, "inside at 5%: " + insideAt5);
        assertTrue(Math.abs(insideAt25 - 0.25 * UNITS) < 0.01 * UNITS, "inside at 25%: " + insideAt25);
    }

    @Test
    void coveredUnits_keepTheConfiguredSplit() {
        double[] weights = {0.2, 0.3, 0.5};
        ExperimentAssigner assigner = ExperimentAssigner.of(TestExperiments.running("covered-split", weights, 0.25));
        long[] observed = new long[3];
        long covered = 0;
        for (int i = 0; i < UNITS; i++) {
            Assignment a = assigner.assign(unit(i), Map.of());
            if (a.inExperiment()) {
                observed[variantIndex(a)]++;
                covered++;
            }
        }
        double[] expected = {0.2 * covered, 0.3 * covered, 0.5 * covered};
        double p = new ChiSquareTest().chiSquareTest(expected, observed);
        assertTrue(p > ALPHA, "p = " + p);
    }

    @Test
    void rolloutTreatmentAt5Percent_staysTreatmentAt25And100Percent() {
        int treatedAt5 = 0;
        for (int i = 0; i < UNITS; i++) {
            boolean at5 = Bucketing.inRollout("new-ranker-rollout", unit(i), 5);
            boolean at25 = Bucketing.inRollout("new-ranker-rollout", unit(i), 25);
            if (at5) {
                treatedAt5++;
                assertTrue(at25, unit(i) + " stays on the treatment at 25%");
            }
            assertTrue(Bucketing.inRollout("new-ranker-rollout", unit(i), 100));
        }
        assertTrue(Math.abs(treatedAt5 - 0.05 * UNITS) < 0.01 * UNITS, "treated at 5%: " + treatedAt5);
    }

    @Test
    void namespaceRangesCoveringZeroToOne_takeEveryUnitExactlyOnce() {
        // given three experiments that split namespace "checkout" into [0, 0.3), [0.3, 0.7), [0.7, 1)
        ExperimentAssigner[] slices = {
                inNamespace("slice-a", "checkout", 0.0, 0.3),
                inNamespace("slice-b", "checkout", 0.3, 0.7),
                inNamespace("slice-c", "checkout", 0.7, 1.0),
        };
        long[] perSlice = new long[3];
        for (int i = 0; i < UNITS; i++) {
            int inside = 0;
            for (int s = 0; s < slices.length; s++) {
                Assignment a = slices[s].assign(unit(i), Map.of());
                if (a.inExperiment()) {
                    inside++;
                    perSlice[s]++;
                } else {
                    assertEquals(AssignmentReason.NOT_IN_NAMESPACE, a.reason());
                }
            }
            assertEquals(1, inside, unit(i) + " is in exactly one slice");
        }
        // Namespace positions use GrowthBook's v1 hash (for compatibility), which is slightly biased on
        // sequential ids: shares are checked to within one percentage point, not by a chi-square test.
        double[] share = {0.3, 0.4, 0.3};
        for (int s = 0; s < slices.length; s++) {
            assertTrue(Math.abs(perSlice[s] - share[s] * UNITS) < 0.01 * UNITS, "slice " + s + " holds " + perSlice[s]);
        }
    }

    @Test
    void unitsOfOneNamespaceSlice_splitAcrossVariantsAsConfigured() {
        // the namespace position (v1, namespace seed) and the variant (v2, experiment seed) are independent
        ExperimentAssigner slice = inNamespace("slice-split", "checkout", 0.0, 0.3);
        long[] observed = new long[2];
        for (int i = 0; i < UNITS; i++) {
            Assignment a = slice.assign(unit(i), Map.of());
            if (a.inExperiment()) {
                observed[variantIndex(a)]++;
            }
        }
        long inside = observed[0] + observed[1];
        double p = new ChiSquareTest().chiSquareTest(new double[] {0.5 * inside, 0.5 * inside}, observed);
        assertTrue(p > ALPHA, "p = " + p + " for " + Arrays.toString(observed));
    }

    @Test
    void disjointRangesOfOneNamespace_neverShareAUnit() {
        ExperimentAssigner first = inNamespace("first", "pricing", 0.0, 0.2);
        ExperimentAssigner second = inNamespace("second", "pricing", 0.2, 0.25);
        ExperimentAssigner elsewhere = inNamespace("elsewhere", "search", 0.0, 0.2);
        int shared = 0;
        int firstCount = 0;
        int secondCount = 0;
        int overlapWithOtherNamespace = 0;
        for (int i = 0; i < UNITS; i++) {
            boolean inFirst = first.assign(unit(i), Map.of()).inExperiment();
            boolean inSecond = second.assign(unit(i), Map.of()).inExperiment();
            firstCount += inFirst ? 1 : 0;
            secondCount += inSecond ? 1 : 0;
            shared += inFirst && inSecond ? 1 : 0;
            overlapWithOtherNamespace += inFirst && elsewhere.assign(unit(i), Map.of()).inExperiment() ? 1 : 0;
        }
        assertEquals(0, shared);
        assertTrue(firstCount > 0 && secondCount > 0, "both slices take units: " + firstCount + ", " + secondCount);
        // another namespace is an independent partition: about 20% of "first" is also in "elsewhere"
        assertTrue(overlapWithOtherNamespace > 0.15 * firstCount && overlapWithOtherNamespace < 0.25 * firstCount,
                "overlap with another namespace: " + overlapWithOtherNamespace + " of " + firstCount);
    }

    private static ExperimentAssigner inNamespace(String key, String namespace, double start, double end) {
        ObjectNode spec = TestExperiments.spec(key, new double[] {0.5, 0.5}, 1.0);
        spec.putObject("namespace").put("name", namespace).put("start", start).put("end", end);
        Experiment e = TestExperiments.of(spec, ExperimentStatus.RUNNING);
        return ExperimentAssigner.of(e);
    }

    private static int variantIndex(Assignment a) {
        return Integer.parseInt(a.variant().substring(1));
    }
}
