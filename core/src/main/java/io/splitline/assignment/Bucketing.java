package io.splitline.assignment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns hash values into decisions, exactly as GrowthBook's {@code getBucketRanges},
 * {@code chooseVariation} and {@code inNamespace} do.
 *
 * <p>Variant {@code i} owns {@code [c_i, c_i + coverage × w_i)} where {@code c_i} is the sum of the
 * weights before it. The start of each range advances by the full weight whatever the coverage, so
 * raising coverage only extends ranges to the right: a unit inside at 5 % is inside, with the same
 * variant, at every higher coverage (monotone in coverage).
 */
public final class Bucketing {
    private Bucketing() {
    }

    /**
     * GrowthBook's {@code getBucketRanges}, including its tolerance for bad input (coverage clamped to
     * [0, 1]; missing weights, a wrong count or a sum outside [0.99, 1.01] fall back to equal weights).
     * Splitline's own definitions never need the fallbacks: they are validated when written.
     *
     * @param weights one weight per variant, or null for equal weights
     */
    public static List<BucketRange> ranges(int numVariations, double coverage, double[] weights) {
        double c = Math.min(1, Math.max(0, coverage));
        double[] w = weights == null || weights.length != numVariations ? equalWeights(numVariations) : weights;
        double total = 0;
        for (double weight : w) {
            total += weight;
        }
        if (total < 0.99 || total > 1.01) {
            w = equalWeights(numVariations);
        }
        List<BucketRange> ranges = new ArrayList<>(w.length);
        double cumulative = 0;
        for (double weight : w) {
            double start = cumulative;
            cumulative += weight;
            ranges.add(new BucketRange(start, start + c * weight));
        }
        return List.copyOf(ranges);
    }

    static double[] equalWeights(int n) {
        if (n <= 0) {
            return new double[0];
        }
        double[] w = new double[n];
        Arrays.fill(w, 1.0 / n);
        return w;
    }

    /** Index of the first range containing {@code n}, or -1 when none does (the unit is not covered). */
    public static int chooseVariation(double n, List<BucketRange> ranges) {
        for (int i = 0; i < ranges.size(); i++) {
            if (ranges.get(i).contains(n)) {
                return i;
            }
        }
        return -1;
    }

    /** The array form used on the hot path. */
    static int chooseVariation(double n, BucketRange[] ranges) {
        for (int i = 0; i < ranges.length; i++) {
            if (ranges[i].contains(n)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The namespace seed of a namespace name ({@code "__" + name}): a unit's position in a namespace
     * depends only on the name and the unit id, never on the experiment.
     */
    public static String namespaceSeed(String namespace) {
        return "__" + namespace;
    }

    /** GrowthBook's {@code inNamespace}: hash v1 of the unit with seed {@code "__" + name}, in {@code [start, end)}. */
    public static boolean inNamespace(String unitId, String namespace, double start, double end) {
        return inNamespaceSeeded(unitId, namespaceSeed(namespace), start, end);
    }

    static boolean inNamespaceSeeded(String unitId, String namespaceSeed, double start, double end) {
        double n = UnitHash.v1(namespaceSeed, unitId);
        return n >= start && n < end;
    }

    /**
     * The rollout decision: a unit gets the treatment iff {@code v2(rolloutKey, unitId) < percent / 100}.
     * Monotone in {@code percent}: raising it only moves units from control to treatment.
     *
     * @param percent share of units on the treatment, 0–100
     */
    public static boolean inRollout(String rolloutKey, String unitId, double percent) {
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent must be in [0, 100], got " + percent);
        }
        return UnitHash.v2(rolloutKey, unitId) < percent / 100.0;
    }
}
