package io.splitline.assignment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitHashTest {

    @ParameterizedTest(name = "fnv1a32(\"{0}\") = {1}")
    @CsvSource({
            // The reference FNV-1a 32-bit vectors (Fowler/Noll/Vo test suite).
            "'', 811c9dc5",
            "a, e40c292c",
            "foobar, bf9cf968",
    })
    void referenceVectors_matchFnv1a32(String text, String hex) {
        assertEquals(Long.parseLong(hex, 16), UnitHash.fnv1a32(text));
    }

    @Test
    void nonAsciiText_hashesUtf16CodeUnitsLikeJavaScriptCharCodeAt() {
        // given "é" (U+00E9): one UTF-16 code unit, two UTF-8 bytes
        long codeUnit = Integer.toUnsignedLong((UnitHash.FNV_OFFSET ^ 0xE9) * UnitHash.FNV_PRIME);
        // when / then: the code unit is XORed in whole, as GrowthBook's JavaScript does
        assertEquals(codeUnit, UnitHash.fnv1a32("é"));
        byte[] utf8 = "é".getBytes(StandardCharsets.UTF_8);
        int byteWise = UnitHash.FNV_OFFSET;
        for (byte b : utf8) {
            byteWise = (byteWise ^ (b & 0xFF)) * UnitHash.FNV_PRIME;
        }
        assertNotEquals(Integer.toUnsignedLong(byteWise), UnitHash.fnv1a32("é"), "not FNV over UTF-8 bytes");
    }

    @Test
    void surrogatePair_isHashedAsTwoCodeUnits() {
        String emoji = "\uD83D\uDE00"; // U+1F600
        int expected = ((UnitHash.FNV_OFFSET ^ 0xD83D) * UnitHash.FNV_PRIME ^ 0xDE00) * UnitHash.FNV_PRIME;
        assertEquals(Integer.toUnsignedLong(expected), UnitHash.fnv1a32(emoji));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 9, 10, 11, 99, 100, 999_999_999, 1_000_000_000, Integer.MAX_VALUE, Integer.MIN_VALUE, -1})
    void unsignedDecimalStreaming_equalsHashingTheDecimalString(int value) {
        assertEquals(UnitHash.update(UnitHash.FNV_OFFSET, Integer.toUnsignedString(value)),
                UnitHash.updateUnsignedDecimal(UnitHash.FNV_OFFSET, value));
    }

    @Test
    void unsignedDecimalStreaming_equalsHashingTheDecimalString_forRandomValues() {
        SplittableRandom random = new SplittableRandom(20260101L);
        for (int i = 0; i < 10_000; i++) {
            int value = random.nextInt();
            assertEquals(UnitHash.update(UnitHash.FNV_OFFSET, Integer.toUnsignedString(value)),
                    UnitHash.updateUnsignedDecimal(UnitHash.FNV_OFFSET, value), Integer.toUnsignedString(value));
        }
    }

    @Test
    void v2_isTheNestedFormula() {
        // v2(seed, value) = (fnv(str(fnv(seed + value))) mod 10000) / 10000, spelled out with strings
        String seed = "checkout-button";
        String value = "user-42";
        long inner = UnitHash.fnv1a32(seed + value);
        long outer = UnitHash.fnv1a32(Long.toString(inner));
        assertEquals((outer % 10_000) / 10_000.0, UnitHash.v2(seed, value), 0.0);
    }

    @Test
    void v2FromPrecomputedSeedState_equalsV2FromSeed() {
        int state = UnitHash.seedState("new-ranker");
        for (int i = 0; i < 1_000; i++) {
            assertEquals(UnitHash.v2("new-ranker", "user-" + i), UnitHash.v2(state, "user-" + i), 0.0);
        }
    }

    @Test
    void v1_isValuePlusSeedModulo1000() {
        long h = UnitHash.fnv1a32("user-42" + "__checkout");
        assertEquals((h % 1_000) / 1_000.0, UnitHash.v1("__checkout", "user-42"), 0.0);
    }

    @Test
    void hashValues_stayOnTheirGrid_inZeroToOneExclusive() {
        for (int i = 0; i < 20_000; i++) {
            double v2 = UnitHash.v2("grid", "unit-" + i);
            double v1 = UnitHash.v1("grid", "unit-" + i);
            assertTrue(v2 >= 0 && v2 <= 0.9999, "v2 in [0, 0.9999]: " + v2);
            assertTrue(v1 >= 0 && v1 <= 0.999, "v1 in [0, 0.999]: " + v1);
            assertEquals(v2, Math.round(v2 * 10_000) / 10_000.0, 0.0, "v2 is a multiple of 1/10000");
            assertEquals(v1, Math.round(v1 * 1_000) / 1_000.0, 0.0, "v1 is a multiple of 1/1000");
        }
    }

    @Test
    void unknownVersion_hasNoValue() {
        assertTrue(UnitHash.hash("abc", "def", 3).isEmpty());
        assertTrue(UnitHash.hash("abc", "def", 0).isEmpty());
    }

    @Test
    void rolloutPercent_outsideZeroToHundred_isABug() {
        assertThrows(IllegalArgumentException.class, () -> Bucketing.inRollout("r", "u", -0.1));
        assertThrows(IllegalArgumentException.class, () -> Bucketing.inRollout("r", "u", 100.1));
        assertThrows(IllegalArgumentException.class, () -> Bucketing.inRollout("r", "u", Double.NaN));
    }

    @Test
    void rolloutAtZeroAndHundredPercent_isNobodyAndEverybody() {
        for (int i = 0; i < 10_000; i++) {
            assertEquals(false, Bucketing.inRollout("edge", "unit-" + i, 0));
            assertEquals(true, Bucketing.inRollout("edge", "unit-" + i, 100));
        }
    }
}
