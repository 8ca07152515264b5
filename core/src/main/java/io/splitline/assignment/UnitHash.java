package io.splitline.assignment;

import java.util.OptionalDouble;

/**
 * GrowthBook's hash functions, bit for bit, so that a definition evaluated by Splitline and by any
 * GrowthBook SDK gives the same answer for the same unit (checked against GrowthBook's published test
 * cases).
 *
 * <p>The FNV-1a 32-bit hash runs over the UTF-16 code units of the text, exactly like JavaScript's
 * {@code charCodeAt}: each code unit (0–65535, surrogate pairs as two units) is XORed in whole, and
 * no byte encoding takes place. This differs from FNV over UTF-8 bytes for non-ASCII text, and it is
 * deliberate: it is what every GrowthBook SDK computes.
 *
 * <ul>
 *   <li>v2 (experiments, rollouts): {@code (fnv(str(fnv(seed + value))) mod 10000) / 10000}, where
 *       {@code str} is the unsigned decimal string of the inner hash; a value in [0, 0.9999].</li>
 *   <li>v1 (namespaces): {@code (fnv(value + seed) mod 1000) / 1000}; a value in [0, 0.999].</li>
 * </ul>
 *
 * <p>Nothing here allocates: the concatenations are streamed through the hash state.
 */
public final class UnitHash {
    /** FNV-1a 32-bit offset basis. */
    static final int FNV_OFFSET = 0x811c9dc5;
    /** FNV-1a 32-bit prime, 2^24 + 2^8 + 0x93 (GrowthBook's shift-and-add form computes the same product). */
    static final int FNV_PRIME = 0x01000193;

    private UnitHash() {
    }

    /** FNV-1a 32 of the UTF-16 code units of {@code text}, as an unsigned value in [0, 2^32). */
    public static long fnv1a32(CharSequence text) {
        return Integer.toUnsignedLong(update(FNV_OFFSET, text));
    }

    /** GrowthBook hash v2 of {@code value} salted with {@code seed}: a multiple of 1/10000 in [0, 1). */
    public static double v2(String seed, String value) {
        return v2(seedState(seed), value);
    }

    /**
     * Hash v2 from a precomputed seed state ({@link #seedState}); the per-definition half of the work
     * is done once, when the definition is loaded.
     */
    static double v2(int seedState, String value) {
        int inner = update(seedState, value);
        int outer = updateUnsignedDecimal(FNV_OFFSET, inner);
        return Integer.remainderUnsigned(outer, 10_000) / 10_000.0;
    }

    /** The FNV state after hashing {@code seed}: the prefix of every v2 hash with that seed. */
    static int seedState(String seed) {
        return update(FNV_OFFSET, seed);
    }

    /** GrowthBook hash v1 (the one namespaces use): a multiple of 1/1000 in [0, 1). */
    public static double v1(String seed, String value) {
        int h = update(update(FNV_OFFSET, value), seed);
        return Integer.remainderUnsigned(h, 1_000) / 1_000.0;
    }

    /** GrowthBook's {@code hash(seed, value, version)}: empty for a version other than 1 or 2 (GrowthBook: null). */
    public static OptionalDouble hash(String seed, String value, int version) {
        return switch (version) {
            case 1 -> OptionalDouble.of(v1(seed, value));
            case 2 -> OptionalDouble.of(v2(seed, value));
            default -> OptionalDouble.empty();
        };
    }

    static int update(int state, CharSequence text) {
        int h = state;
        for (int i = 0, n = text.length(); i < n; i++) {
            h ^= text.charAt(i);
            h *= FNV_PRIME;
        }
        return h;
    }

    /**
     * Continues the hash with the decimal digits of {@code value} read as unsigned (JavaScript's
     * {@code n + ""}): no leading zeros, 0 as "0".
     *
     * <p>Every divisor is a constant, which the JIT compiles to a multiplication and a shift: the value is
     * split at 10^5 into a high part (at most 42949) and a low part, and each part's digits are taken with
     * / 10000, / 1000, / 100 and / 10. A loop dividing by a variable power of ten would pay a hardware
     * division per digit, up to ten per hash.
     */
    static int updateUnsignedDecimal(int state, int value) {
        long v = Integer.toUnsignedLong(value);
        if (v < 100_000) {
            return updateDigits(state, (int) v, digitCount((int) v));
        }
        int high = (int) (v / 100_000);
        int low = (int) (v % 100_000);
        return updateDigits(updateDigits(state, high, digitCount(high)), low, 5);
    }

    /** The number of decimal digits of {@code n} in [0, 100000), 1 for 0. */
    private static int digitCount(int n) {
        return n >= 10_000 ? 5 : n >= 1_000 ? 4 : n >= 100 ? 3 : n >= 10 ? 2 : 1;
    }

    /** Continues the hash with the last {@code count} (1–5) digits of {@code n} in [0, 100000), zeros included. */
    private static int updateDigits(int state, int n, int count) {
        int h = state;
        if (count == 5) {
            h = updateDigit(h, n / 10_000);
        }
        if (count >= 4) {
            h = updateDigit(h, n / 1_000 % 10);
        }
        if (count >= 3) {
            h = updateDigit(h, n / 100 % 10);
        }
        if (count >= 2) {
            h = updateDigit(h, n / 10 % 10);
        }
        return updateDigit(h, n % 10);
    }

    private static int updateDigit(int state, int digit) {
        return (state ^ ('0' + digit)) * FNV_PRIME;
    }
}
