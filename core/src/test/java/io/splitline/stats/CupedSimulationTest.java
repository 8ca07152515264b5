package io.splitline.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Monte Carlo checks of {@link CupedEstimate} with fixed seeds: with a covariate of known correlation ρ
 * the interval narrows by √(1 − ρ²), and A/A experiments stay significant at the rate α.
 */
class CupedSimulationTest {

    @Test
    void intervalWidthShrinksBySqrtOneMinusRhoSquared() {
        for (double rho : new double[] {0.5, 0.9}) {
            // given 200 experiments of 2000 units per arm with corr(x, y) = rho and a true lift of 0.1
            Random rng = new Random(42);
            double ratios = 0;
            double reductions = 0;
            int experiments = 200;
            for (int e = 0; e < experiments; e++) {
                CovariateMoments c = arm(rng, 2000, rho, 0.0);
                CovariateMoments t = arm(rng, 2000, rho, 0.1);
                // when
                CupedEstimate cuped = CupedEstimate.of(c, t);
                EffectTest raw = EffectTest.absolute(MeanSample.fromSums(c.units(), c.sumY(), c.sumYSquares()),
                        MeanSample.fromSums(t.units(), t.sumY(), t.sumYSquares()));
                EffectTest adjusted = EffectTest.absolute(cuped.adjustedControl(), cuped.adjustedTreatment());
                ratios += width(adjusted.interval(0.05)) / width(raw.interval(0.05));
                reductions += cuped.varianceReduction();
            }
            // then the mean width ratio is √(1 − ρ²) and the mean reduction ρ², within noise (0.01 is several standard errors)
            assertEquals(Math.sqrt(1 - rho * rho), ratios / experiments, 0.01, "width ratio at rho " + rho);
            assertEquals(rho * rho, reductions / experiments, 0.01, "variance reduction at rho " + rho);
        }
    }

    @Test
    void aaExperiments_cupedSignificantRateIsWithinBinomialErrorOfAlpha() {
        // given 2000 A/A experiments of 500 units per arm with a strong covariate (rho = 0.8)
        Random rng = new Random(7);
        int experiments = 2000;
        int significant = 0;
        for (int e = 0; e < experiments; e++) {
            CupedEstimate cuped = CupedEstimate.of(arm(rng, 500, 0.8, 0.0), arm(rng, 500, 0.8, 0.0));
            // when / then
            if (cuped.test().pValue() <= 0.05) {
                significant++;
            }
        }
        double se = Math.sqrt(0.05 * 0.95 / experiments);
        double rate = (double) significant / experiments;
        assertTrue(Math.abs(rate - 0.05) <= 3 * se, "A/A significant rate " + rate);
    }

    /** n units with x ~ N(0, 1), y = 10 + lift + ρx + √(1−ρ²)·ε: corr(x, y) = ρ. */
    private static CovariateMoments arm(Random rng, int n, double rho, double lift) {
        double sy = 0;
        double syy = 0;
        double sx = 0;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            double x = rng.nextGaussian();
            double y = 10 + lift + rho * x + Math.sqrt(1 - rho * rho) * rng.nextGaussian();
            sy += y;
            syy += y * y;
            sx += x;
            sxx += x * x;
            sxy += x * y;
        }
        return new CovariateMoments(n, BigDecimal.valueOf(sy), BigDecimal.valueOf(syy), BigDecimal.valueOf(sx),
                BigDecimal.valueOf(sxx), BigDecimal.valueOf(sxy));
    }

    private static double width(Interval i) {
        return i.upper() - i.lower();
    }
}
