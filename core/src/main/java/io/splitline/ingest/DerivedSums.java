package io.splitline.ingest;

import io.splitline.stats.RatioMoments;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sums of a target that ingest derives from a unit's totals beyond each metric's own Σx, Σx² and
 * positive count, kept incrementally on the same metric items in the same {@code ADD}:
 * <ul>
 *   <li>a <b>capped</b> metric's Σ min(x, cap), Σ min(x, cap)² and the number of units whose total is above
 *       the cap: when a unit's total goes from x₀ to x₁, the capped sum grows by min(x₁, cap) − min(x₀, cap),
 *       its square sum by min(x₁, cap)² − min(x₀, cap)², and the count by [x₁ &gt; cap] − [x₀ &gt; cap];</li>
 *   <li>a <b>ratio</b> metric's Σ numerator·denominator: a change of either part's total adds
 *       {@link RatioMoments#crossProductIncrement} to the item of the metric that changed, so the reader sums
 *       the attribute over the numerator's and the denominator's items.</li>
 * </ul>
 * Both depend on the unit's totals before the change, which the plan reads and versions already.
 *
 * @param caps   metric (as sent in events) → its cap, above 0
 * @param ratios the target's ratio metrics
 */
public record DerivedSums(Map<String, BigDecimal> caps, List<Ratio> ratios) {
    /** Nothing beyond the metrics' own sums (rollouts, definitions without capped or ratio metrics). */
    public static final DerivedSums NONE = new DerivedSums(Map.of(), List.of());

    public DerivedSums {
        caps = Map.copyOf(caps);
        ratios = List.copyOf(ratios);
    }

    /** A ratio metric: its key and the metric keys of its parts (two different metrics). */
    public record Ratio(String key, String numerator, String denominator) {
    }

    /**
     * What the unit's total of {@code metric} going from {@code before} to {@code after} adds to the derived
     * sums on that metric's item; {@code unit} holds the unit's other totals.
     */
    DerivedDelta delta(UnitState unit, String metric, BigDecimal before, BigDecimal after) {
        DerivedDelta.Capped capped = null;
        BigDecimal cap = caps.get(metric);
        if (cap != null) {
            BigDecimal from = before.min(cap);
            BigDecimal to = after.min(cap);
            capped = new DerivedDelta.Capped(to.subtract(from), to.multiply(to).subtract(from.multiply(from)),
                    above(after, cap) - above(before, cap));
        }
        Map<String, BigDecimal> products = new HashMap<>();
        for (Ratio r : ratios) {
            if (r.numerator().equals(metric)) {
                BigDecimal b = unit.total(r.denominator());
                products.put(r.key(), RatioMoments.crossProductIncrement(before, after, b, b));
            } else if (r.denominator().equals(metric)) {
                BigDecimal a = unit.total(r.numerator());
                products.put(r.key(), RatioMoments.crossProductIncrement(a, a, before, after));
            }
        }
        return new DerivedDelta(capped, products);
    }

    private static int above(BigDecimal total, BigDecimal cap) {
        return total.compareTo(cap) > 0 ? 1 : 0;
    }
}
