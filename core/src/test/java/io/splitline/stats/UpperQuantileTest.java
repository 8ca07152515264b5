package io.splitline.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The upper-tail quantiles that a two-sided interval at level 1 − α takes at q = α/2, so that no digit of α is lost
 * to 1 − α/2 rounding towards 1 (at a level one ulp below 1, all of them).
 */
class UpperQuantileTest {
    /**
     * {q, z} with P(Z > z) = q, solved with mpmath at 50 digits:
     * {@code mp.findroot(lambda z: mp.log(mp.erfc(z / mp.sqrt(2)) / 2) - mp.log(q), scipy.stats.norm.isf(q))}.
     * 5.551115123125783e-17 is α/2 at the level 0.9999999999999999, the largest double below 1.
     */
    private static final double[][] NORMAL = {
        {0.25, 0.6744897501960817}, {0.025, 1.9599639845400543}, {0.0005, 3.290526731491895},
        {5e-5, 3.890591886413094}, {5.551115123125783e-17, 8.292361075813595}, {1e-20, 9.262340089798407},
        {1e-100, 21.273453560965326}, {1e-300, 37.0470962993612},
    };

    @Test
    void normalUpperQuantile_agreesWithMpmath_downToTenToTheMinus300() {
        for (double[] c : NORMAL) {
            double z = Distributions.normalUpperQuantile(c[0]);
            assertTrue(Math.abs(z - c[1]) <= 1e-14 * c[1],
                    String.format(Locale.ROOT, "z(%s): mpmath %.17g, ours %.17g", c[0], c[1], z));
        }
    }

    @Test
    void atTheLevelOneUlpBelowOne_theUpperQuantilesAreFinite_whereTheLowerTailsLoseEveryDigitOfAlpha() {
        double level = Math.nextDown(1.0);
        double alpha = 1 - level;
        assertEquals(1.0, 1 - alpha / 2, "why: 1 − α/2 rounds to 1");
        assertEquals(8.292361075813595, Distributions.normalUpperQuantile(alpha / 2), 1e-13);
        // mpmath, 50 digits: findroot(lambda t: log(betainc(15, 1/2, 0, 30/(30 + t²), regularized=True)/2) - log(q), 16.6)
        double t = Distributions.studentUpperQuantile(alpha / 2, 30);
        assertEquals(16.622112879395637, t, 1e-12 * 16.622112879395637);
        assertThrows(IllegalArgumentException.class, () -> Distributions.studentQuantile(1 - alpha / 2, 30));
    }

    @Test
    void studentUpperQuantile_isTheMirroredQuantile_andZeroAtOneHalf() {
        for (double df : new double[] {1, 2.5, 7, 30, 1e3, 1e6}) {
            for (double q : new double[] {1e-20, 1e-9, 0.001, 0.025, 0.2, 0.3, 0.49}) {
                assertEquals(-Distributions.studentQuantile(q, df), Distributions.studentUpperQuantile(q, df), 0.0);
            }
            assertEquals(0.0, Distributions.studentUpperQuantile(0.5, df));
        }
        assertEquals(0.0, Distributions.normalUpperQuantile(0.5));
    }

    @Test
    void outsideTheDomain_isRefused() {
        for (double q : new double[] {0, -0.1, 0.5000000000000001, 1, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> Distributions.normalUpperQuantile(q));
            assertThrows(IllegalArgumentException.class, () -> Distributions.studentUpperQuantile(q, 5));
        }
        assertThrows(IllegalArgumentException.class, () -> Distributions.studentUpperQuantile(0.1, 0));
    }
}
