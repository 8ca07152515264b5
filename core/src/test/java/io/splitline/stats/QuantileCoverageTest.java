package io.splitline.stats;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage of the 95 % interval for the difference of two arms' quantiles ({@link QuantileDifference}) in seeded
 * simulations: log-normal latencies (median 100 ms, σ = 1 on the log scale), the treatment 10 % slower at every
 * quantile, so the true difference of the q-quantiles is 0.1·exp(ln 100 + σ·Φ⁻¹(q)). Values are binned as ingest
 * bins them ({@link SketchBin}). The printed coverages are quoted in docs/statistics.md.
 */
class QuantileCoverageTest {
    private static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99};
    private static final double MU = Math.log(100);
    private static final double SIGMA = 1;
    private static final double SLOWDOWN = 1.1;

    @Test
    void at1000EventsPerArm_theIntervalCoversTheTrueDifference_atLeast94PercentOfTheTime() {
        assertCoverage(1_000, 1_000, 1);
    }

    @Test
    void at100000EventsPerArm_theIntervalCoversTheTrueDifference_atLeast94PercentOfTheTime() {
        assertCoverage(100_000, 200, 2);
    }

    private static void assertCoverage(int events, int experiments, long seed) {
        Random random = new Random(seed);
        int[] covered = new int[QUANTILES.length];
        double[] width = new double[QUANTILES.length];
        for (int e = 0; e < experiments; e++) {
            QuantileSketch control = sample(random, events, 1);
            QuantileSketch treatment = sample(random, events, SLOWDOWN);
            for (int i = 0; i < QUANTILES.length; i++) {
                double q = QUANTILES[i];
                double truth = (SLOWDOWN - 1) * Math.exp(MU + SIGMA * Distributions.normalQuantile(q));
                Interval ci = QuantileDifference.difference(control, treatment, q, 0.95).ci();
                covered[i] += ci.lower() <= truth && truth <= ci.upper() ? 1 : 0;
                width[i] += (ci.upper() - ci.lower()) / truth / experiments;
            }
        }
        for (int i = 0; i < QUANTILES.length; i++) {
            double coverage = (double) covered[i] / experiments;
            System.out.printf("quantile difference coverage: %d events per arm, %d experiments, q = %.2f: %.1f %% (mean width %.2f × the true difference)%n",
                    events, experiments, QUANTILES[i], 100 * coverage, width[i]);
            assertTrue(coverage >= 0.94, "q = " + QUANTILES[i] + " at " + events + " events: coverage " + coverage);
        }
    }

    private static QuantileSketch sample(Random random, int events, double scale) {
        long[] counts = new long[SketchBin.MAX_BINS_PER_SIGN];
        for (int i = 0; i < events; i++) {
            counts[SketchBin.index(scale * Math.exp(MU + SIGMA * random.nextGaussian())) - SketchBin.MIN_INDEX]++;
        }
        Map<SketchBin, Long> bins = new HashMap<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                bins.put(new SketchBin(1, SketchBin.MIN_INDEX + i), counts[i]);
            }
        }
        return new QuantileSketch(bins);
    }
}
