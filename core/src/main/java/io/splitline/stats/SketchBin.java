package io.splitline.stats;

import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import java.math.BigDecimal;

/**
 * One bin of the DDSketch that quantile metrics (event values) and percentile caps (unit totals) are kept in:
 * the zero bin, or a positive or negative value's logarithmic index. Every value in a bin is within
 * {@link #RELATIVE_ACCURACY} of the bin's {@link #value()} (DDSketch's guarantee, Masson, Rim &amp; Lee 2019),
 * and a bin is a plain counter, so sketches are additive: ingest adds counts, and shards merge by summing them.
 *
 * <p>The indices are bounded, which is DDSketch's collapsing store with a fixed range: magnitudes from
 * {@link #MIN_MAGNITUDE} (values are kept to 6 decimals, so every non-zero value reaches it) to
 * {@link #MAX_MAGNITUDE} get their own bin ({@value #MAX_BINS_PER_SIGN} indices per sign, computed in
 * {@code SketchBinTest}); a magnitude above collapses into the highest bin (its rank is kept, its value reads
 * as that bin's, so quantiles that fall there lose the accuracy guarantee), one below into the lowest.
 *
 * @param sign  -1, 0 (the zero bin) or 1
 * @param index the logarithmic index of the magnitude; 0 in the zero bin
 */
public record SketchBin(int sign, int index) {
    /** α: every value is within 1 % of its bin's value. */
    public static final double RELATIVE_ACCURACY = 0.01;
    static final LogarithmicMapping MAPPING = new LogarithmicMapping(RELATIVE_ACCURACY);
    static final double MIN_MAGNITUDE = 1e-6;
    static final double MAX_MAGNITUDE = 1e15;
    static final int MIN_INDEX = MAPPING.index(MIN_MAGNITUDE);
    static final int MAX_INDEX = MAPPING.index(MAX_MAGNITUDE);
    /** Bins per sign: with the zero bin, a sketch has at most 2 × this + 1 counters. */
    public static final int MAX_BINS_PER_SIGN = 2418;
    public static final SketchBin ZERO = new SketchBin(0, 0);

    public SketchBin {
        if (sign < -1 || sign > 1 || (sign == 0 && index != 0) || index < MIN_INDEX || index > MAX_INDEX) {
            throw new IllegalArgumentException("no sketch bin (" + sign + ", " + index + ")");
        }
    }

    /** The bin of a value; magnitudes outside the indexed range collapse into the end bins. */
    public static SketchBin of(BigDecimal value) {
        return value.signum() == 0 ? ZERO : new SketchBin(value.signum(), index(value.abs().doubleValue()));
    }

    /** The index of a positive magnitude, collapsed into the range. */
    static int index(double magnitude) {
        return magnitude < MIN_MAGNITUDE ? MIN_INDEX : magnitude > MAX_MAGNITUDE ? MAX_INDEX : MAPPING.index(magnitude);
    }

    /** The bin's representative value, within {@link #RELATIVE_ACCURACY} of every value in the bin. */
    public double value() {
        return sign == 0 ? 0 : sign * MAPPING.value(index);
    }

    /** The bin's name inside an attribute name: {@code z}, {@code p<index>} or {@code n<index>}. */
    public String code() {
        return sign == 0 ? "z" : (sign > 0 ? "p" : "n") + index;
    }

    /** The bin a {@link #code()} names. */
    public static SketchBin parse(String code) {
        if (code.equals("z")) {
            return ZERO;
        }
        int sign = switch (code.charAt(0)) {
            case 'p' -> 1;
            case 'n' -> -1;
            default -> throw new IllegalArgumentException("no sketch bin code '" + code + "'");
        };
        return new SketchBin(sign, Integer.parseInt(code.substring(1)));
    }
}
