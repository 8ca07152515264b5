package io.splitline.stats;

import java.math.BigInteger;
import java.util.List;

/**
 * Pearson chi-square tests on unit counts.
 * <ul>
 * <li><b>Independence</b> of variant and conversion (k × 2 table, no continuity correction):
 * {@code χ² = Σᵢ Σⱼ (Oᵢⱼ − Eᵢⱼ)²/Eᵢⱼ}, {@code Eᵢⱼ = rowᵢ·colⱼ/N}, df = k − 1. For two columns this is
 * exactly {@code Σᵢ Dᵢ² / (nᵢ·C·(N − C))} with {@code Dᵢ = xᵢ·N − nᵢ·C}, which is how it is computed:
 * Dᵢ in exact integer arithmetic, so 10⁹ units lose nothing to cancellation. Arms without units are
 * left out (they carry no information); fewer than two arms, no conversion at all or only conversions
 * give χ² = 0, p = 1.</li>
 * <li><b>Goodness of fit</b> of unit counts to the configured weights (the sample ratio mismatch check):
 * {@code χ² = Σᵢ (oᵢ − N·wᵢ)²/(N·wᵢ)} over variants of positive weight, df = (their number) − 1, with
 * the weights normalised to sum to exactly 1. Units in a variant of weight 0 can only come from a
 * broken assignment, so they give p = 0.</li>
 * </ul>
 */
public final class ChiSquareTests {
    private ChiSquareTests() {
    }

    /** Chi-square test of independence across all arms of one conversion metric. */
    public static TestResult independence(List<ProportionSample> arms) {
        long totalUnits = 0;
        long totalConversions = 0;
        int rows = 0;
        for (ProportionSample arm : arms) {
            if (arm.units() > 0) {
                rows++;
                totalUnits += arm.units();
                totalConversions += arm.conversions();
            }
        }
        if (rows < 2) {
            return new TestResult(0.0, (double) Math.max(rows - 1, 0), 1.0, false, "fewer than two variants have units");
        }
        if (totalConversions == 0 || totalConversions == totalUnits) {
            return new TestResult(0.0, (double) (rows - 1), 1.0, false, "no variation: every unit has the same outcome");
        }
        BigInteger n = BigInteger.valueOf(totalUnits);
        BigInteger c = BigInteger.valueOf(totalConversions);
        double denominator = (double) totalConversions * (double) (totalUnits - totalConversions);
        double statistic = 0;
        for (ProportionSample arm : arms) {
            if (arm.units() > 0) {
                double d = BigInteger.valueOf(arm.conversions()).multiply(n)
                        .subtract(BigInteger.valueOf(arm.units()).multiply(c)).doubleValue();
                statistic += d / arm.units() * (d / denominator);
            }
        }
        int df = rows - 1;
        return new TestResult(statistic, (double) df, Distributions.chiSquareUpperTail(statistic, df), true, null);
    }

    /**
     * Goodness of fit of {@code observed} counts to {@code weights} (same order; weights ≥ 0, not all 0).
     *
     * @return the test and the expected counts N·wᵢ (wᵢ normalised)
     */
    public static GoodnessOfFit goodnessOfFit(long[] observed, double[] weights) {
        if (observed.length != weights.length) {
            throw new IllegalArgumentException("observed and weights differ in length");
        }
        double weightSum = 0;
        long total = 0;
        for (int i = 0; i < weights.length; i++) {
            weightSum += weights[i];
            total += observed[i];
        }
        if (!(weightSum > 0)) {
            throw new IllegalArgumentException("weights must not all be 0");
        }
        double[] expected = new double[weights.length];
        double statistic = 0;
        int cells = 0;
        boolean unitsWhereNoneBelong = false;
        for (int i = 0; i < weights.length; i++) {
            expected[i] = total * (weights[i] / weightSum);
            if (weights[i] > 0) {
                cells++;
                if (total > 0) {
                    double diff = observed[i] - expected[i];
                    statistic += diff * diff / expected[i];
                }
            } else if (observed[i] > 0) {
                unitsWhereNoneBelong = true;
            }
        }
        int df = Math.max(cells - 1, 0);
        TestResult test;
        if (unitsWhereNoneBelong) {
            test = new TestResult(statistic, (double) df, 0.0, true, "units were assigned to a variant of weight 0");
        } else if (total == 0) {
            test = new TestResult(0.0, (double) df, 1.0, false, "no units yet");
        } else if (df == 0) {
            test = new TestResult(0.0, 0.0, 1.0, false, "only one variant can receive units");
        } else {
            test = new TestResult(statistic, (double) df, Distributions.chiSquareUpperTail(statistic, df), true, null);
        }
        return new GoodnessOfFit(test, expected);
    }

    /**
     * A goodness-of-fit test and the expected counts it compared against.
     *
     * @param test     the chi-square test
     * @param expected expected count per cell, in input order
     */
    public record GoodnessOfFit(TestResult test, double[] expected) {
        public GoodnessOfFit {
            expected = expected.clone();
        }

        @Override
        public double[] expected() {
            return expected.clone();
        }
    }
}
