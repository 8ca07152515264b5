package io.splitline.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Adjustments of the p-values of the m comparisons of one experiment, with p₍₁₎ ≤ … ≤ p₍ₘ₎ sorted
 * ascending (ties keep their input order).
 * <ul>
 * <li><b>Holm–Bonferroni</b> step-down (Holm 1979): adjusted p₍ᵢ₎ = {@code max_{j ≤ i} min(1, (m − j + 1)·p₍ⱼ₎)}.
 * Rejecting every adjusted p ≤ α controls the family-wise error rate (the chance of any false positive)
 * at α under any dependence, and is uniformly more powerful than Bonferroni.</li>
 * <li><b>Benjamini–Hochberg</b> step-up (1995): adjusted p₍ᵢ₎ = {@code min_{j ≥ i} min(1, m·p₍ⱼ₎/j)}.
 * Rejecting every adjusted p ≤ α controls the false discovery rate (the expected share of false
 * positives among the rejections) at α for independent or positively dependent tests: more discoveries
 * than Holm when many comparisons have real effects, at the price of a weaker guarantee.</li>
 * </ul>
 * Experiments test every treatment on every metric, so without an adjustment a 20-metric experiment
 * would show a "significant" difference by chance most of the time.
 *
 * <h2>Intervals that agree with the adjusted p-values</h2>
 * {@link #intervalErrorRate} gives each comparison the error rate γ = α·p/p̃ (p̃ the adjusted p-value) at
 * which its own test is exactly as strict as the adjustment: a test whose interval at level 1 − γ excludes
 * 0 exactly when p ≤ γ then excludes 0 exactly when p̃ ≤ α. Both adjustments have p ≤ p̃ ≤ m·p, so
 * γ lies between the Bonferroni rate α/m and α. When a comparison's own step i sets its adjusted value
 * (no other step dominates, no cap at 1), γ is exactly Holm's step-down level α/(m − i + 1), or α·i/m
 * for Benjamini–Hochberg; for a single comparison it is α.
 */
public final class MultipleTesting {
    private MultipleTesting() {
    }

    /** Holm-adjusted p-values, in the order of the input. */
    public static double[] holm(double[] pValues) {
        int m = pValues.length;
        Integer[] order = ascending(pValues);
        double[] adjusted = new double[m];
        double running = 0;
        for (int rank = 0; rank < m; rank++) {
            int i = order[rank];
            running = Math.max(running, Math.min(1.0, (m - rank) * pValues[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }

    /** Benjamini–Hochberg-adjusted p-values, in the order of the input. */
    public static double[] benjaminiHochberg(double[] pValues) {
        int m = pValues.length;
        Integer[] order = ascending(pValues);
        double[] adjusted = new double[m];
        double running = 1.0;
        for (int rank = m - 1; rank >= 0; rank--) {
            int i = order[rank];
            running = Math.min(running, (double) m * pValues[i] / (rank + 1));
            adjusted[i] = running;
        }
        return adjusted;
    }

    /**
     * The error rate γ = α·p/p̃ of the interval that agrees with an adjusted p-value (see the class
     * comment); α/m when p̃ = 0 (then p = 0 too and any level agrees).
     *
     * @param alpha      the family's α
     * @param pValue     the comparison's own p-value
     * @param adjusted   its adjusted p-value (at least {@code pValue})
     * @param family     the number m of comparisons adjusted together
     */
    public static double intervalErrorRate(double alpha, double pValue, double adjusted, int family) {
        return adjusted > 0 ? alpha * Math.min(1.0, pValue / adjusted) : alpha / family;
    }

    private static Integer[] ascending(double[] pValues) {
        Integer[] order = new Integer[pValues.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> pValues[i]));
        return order;
    }
}
