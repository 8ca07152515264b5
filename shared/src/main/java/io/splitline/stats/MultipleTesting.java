package io.splitline.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The Holm–Bonferroni step-down adjustment (Holm 1979). With the m p-values sorted ascending
 * p₍₁₎ ≤ … ≤ p₍ₘ₎, the adjusted value of p₍ᵢ₎ is {@code max_{j ≤ i} min(1, (m − j + 1)·p₍ⱼ₎)}.
 * Rejecting every hypothesis whose adjusted p-value is at most α controls the family-wise error rate
 * at α under any dependence between the tests, and is uniformly more powerful than Bonferroni.
 * Experiments test every treatment on every metric, so without it a 20-metric experiment would show
 * a "significant" difference by chance most of the time.
 */
public final class MultipleTesting {
    private MultipleTesting() {
    }

    /** Holm-adjusted p-values, in the order of the input. */
    public static double[] holm(double[] pValues) {
        int m = pValues.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> pValues[i]));
        double[] adjusted = new double[m];
        double running = 0;
        for (int rank = 0; rank < m; rank++) {
            int i = order[rank];
            running = Math.max(running, Math.min(1.0, (m - rank) * pValues[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }
}
