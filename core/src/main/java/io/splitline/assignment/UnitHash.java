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

    /** Continues the hash with the decimal digits of {@code value} read as unsigned (JavaScript's {@code n + ""}). */
    static int updateUnsignedDecimal(int state, int value) {
        long v = Integer.toUnsignedLong(value);
        long divisor = 1;
        while (divisor * 10 <= v) {
            divisor *= 10;
        }
        int h = state;
        for (; divisor > 0; divisor /= 10) {
            h ^= '0' + (int) (v / divisor % 10);
            h *= FNV_PRIME;
        }
        return h;
    }
}
