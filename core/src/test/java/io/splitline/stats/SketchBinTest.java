package io.splitline.stats;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bins' bounds, their accuracy over the whole indexed range, the collapse beyond it, and their codes. */
class SketchBinTest {
    @Test
    void theIndexedRange_hasTheStatedNumberOfBinsPerSign() {
        assertEquals(SketchBin.MAX_BINS_PER_SIGN, SketchBin.MAX_INDEX - SketchBin.MIN_INDEX + 1);
    }

    @Test
    void everyValueInTheRange_isWithinTheRelativeAccuracyOfItsBin() {
        Random random = new Random(5);
        for (int i = 0; i < 100_000; i++) {
            double magnitude = Math.pow(10, -6 + 21 * random.nextDouble());
            BigDecimal value = new BigDecimal(magnitude).setScale(6, java.math.RoundingMode.HALF_UP);
            if (value.signum() == 0) {
                continue;
            }
            BigDecimal signed = random.nextBoolean() ? value : value.negate();
            double x = signed.doubleValue();
            double v = SketchBin.of(signed).value();
            assertTrue(Math.abs(v - x) <= SketchBin.RELATIVE_ACCURACY * Math.abs(x) * (1 + 1e-12), x + " read as " + v);
        }
    }

    @Test
    void magnitudesBeyondTheRange_collapseIntoTheEndBins_andZeroHasItsOwn() {
        assertEquals(new SketchBin(1, SketchBin.MAX_INDEX), SketchBin.of(new BigDecimal("1e18")));
        assertEquals(new SketchBin(-1, SketchBin.MAX_INDEX), SketchBin.of(new BigDecimal("-1e18")));
        assertEquals(new SketchBin(1, SketchBin.MIN_INDEX), SketchBin.of(new BigDecimal("1e-9")));
        assertEquals(SketchBin.ZERO, SketchBin.of(new BigDecimal("0.000")));
        assertEquals(0, SketchBin.ZERO.value());
    }

    @Test
    void codes_roundTrip_andStrangersAreRefused() {
        for (String v : new String[] {"0", "1.5", "-1.5", "0.000001", "123456789"}) {
            SketchBin bin = SketchBin.of(new BigDecimal(v));
            assertEquals(bin, SketchBin.parse(bin.code()), v);
        }
        assertEquals("z", SketchBin.ZERO.code());
        assertThrows(IllegalArgumentException.class, () -> SketchBin.parse("x12"));
        assertThrows(IllegalArgumentException.class, () -> SketchBin.parse("p" + (SketchBin.MAX_INDEX + 1)));
    }
}
