package io.splitline.ingest;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * Increments to the sums that ingest derives from a unit's totals ({@link DerivedSums}) on one metric item,
 * merged like the rest of an {@link AggregateDelta}.
 *
 * @param capped        a capped metric's increments, null on the item of an uncapped metric (nothing to write)
 * @param ratioProducts ratio metric key → increment of Σ numerator·denominator, for the ratio metrics that have
 *                      this item's metric as numerator or denominator; written even when 0, since the attribute's
 *                      presence is what says Σab is kept
 */
record DerivedDelta(Capped capped, Map<String, BigDecimal> ratioProducts) {
    static final DerivedDelta NONE = new DerivedDelta(null, Map.of());

    DerivedDelta {
        ratioProducts = Map.copyOf(ratioProducts);
    }

    /**
     * Increments of a capped metric's sums.
     *
     * @param sum        of Σ min(x, cap)
     * @param sumSquares of Σ min(x, cap)²
     * @param units      of the units whose total is above the cap
     */
    record Capped(BigDecimal sum, BigDecimal sumSquares, long units) {
        Capped plus(Capped o) {
            return new Capped(sum.add(o.sum), sumSquares.add(o.sumSquares), units + o.units);
        }
    }

    DerivedDelta plus(DerivedDelta o) {
        Capped merged = capped == null ? o.capped : o.capped == null ? capped : capped.plus(o.capped);
        Map<String, BigDecimal> products = new HashMap<>(ratioProducts);
        o.ratioProducts.forEach((k, v) -> products.merge(k, v, BigDecimal::add));
        return new DerivedDelta(merged, products);
    }
}
