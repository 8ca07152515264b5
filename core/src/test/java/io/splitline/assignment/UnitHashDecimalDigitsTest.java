package io.splitline.assignment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link UnitHash#updateUnsignedDecimal} extracts digits with constant divisors only; this holds it to its
 * definition, hashing {@link Integer#toUnsignedString(int)}, where an off-by-one would show: around every
 * power of ten (digit count changes), around the split at 10^5 (a low part with leading zeros), at the
 * ends of the unsigned range, and over random values of every length.
 */
class UnitHashDecimalDigitsTest {
    /** A state other than the offset basis, so that a digit routine ignoring its input state would show. */
    private static final int SEED_STATE = UnitHash.seedState("checkout-button");

    @Test
    void edgeValues_hashLikeTheirUnsignedDecimalString() {
        List<Long> values = new ArrayList<>(List.of(0L, 4_294_967_295L, 4_294_967_294L,
                (long) Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, Integer.MAX_VALUE + 2L,
                4_294_900_000L, 4_294_899_999L, 4_294_967_290L));
        for (long power = 1; power <= 1_000_000_000L; power *= 10) {
            values.addAll(List.of(power - 1, power, power + 1, 2 * power, 9 * power, 10 * power - 1));
            // the split at 10^5: a high part of every length above a low part with leading zeros
            values.addAll(List.of(power * 100_000 + 1, power * 100_000 + 99, power * 100_000 + 99_999));
        }
        for (long value : values) {
            if (value <= 4_294_967_295L) { // the larger multiples of the loop are beyond 32 bits
                assertHashesLikeItsString((int) value);
            }
        }
    }

    @Test
    void randomValues_hashLikeTheirUnsignedDecimalString() {
        SplittableRandom random = new SplittableRandom(17L);
        for (int i = 0; i < 300_000; i++) {
            assertHashesLikeItsString(random.nextInt());
        }
    }

    @Test
    void randomValuesOfEveryLength_hashLikeTheirUnsignedDecimalString() {
        // uniform ints are mostly ten digits long; these cover 1 to 10 digits equally
        SplittableRandom random = new SplittableRandom(1017L);
        long low = 0;
        for (long high = 10; high <= 10_000_000_000L; low = high, high *= 10) {
            long bound = Math.min(high, 4_294_967_296L);
            for (int i = 0; i < 20_000; i++) {
                assertHashesLikeItsString((int) random.nextLong(low, bound));
            }
        }
    }

    private static void assertHashesLikeItsString(int value) {
        String decimal = Integer.toUnsignedString(value);
        assertEquals(UnitHash.update(UnitHash.FNV_OFFSET, decimal),
                UnitHash.updateUnsignedDecimal(UnitHash.FNV_OFFSET, value), decimal);
        assertEquals(UnitHash.update(SEED_STATE, decimal), UnitHash.updateUnsignedDecimal(SEED_STATE, value), decimal);
    }
}
