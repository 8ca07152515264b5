package io.splitline.ingest;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * Increments to one aggregate item, merged over the records of a stream batch that map to it (one
 * conditional update per item and batch, or a few when it carries many sketch counters: {@link StreamFold}). On a metric item, besides the
 * metric's own sums, CUPED's: Σx, Σx² (x the unit's covariate, added at first exposure) and Σxy (x times
 * each change of the unit's total y, since x is fixed); the capped and ratio sums ({@link DerivedDelta}); and the
 * sketch bin counters ({@code bins}: attribute name → increment, see
 * {@link io.splitline.aggregate.AggregateTable#valueBin}) of quantile metrics and percentile caps; increments that
 * cancel out are left out.
 */
record AggregateDelta(long units, long positive, BigDecimal sum, BigDecimal sumSquares,
                      BigDecimal covariateSum, BigDecimal covariateSquares, BigDecimal crossProducts, DerivedDelta derived,
                      Map<String, Long> bins) {
    static final AggregateDelta ZERO = new AggregateDelta(0, 0, BigDecimal.ZERO, BigDecimal.ZERO);

    AggregateDelta {
        bins = Map.copyOf(bins);
    }

    AggregateDelta(long units, long positive, BigDecimal sum, BigDecimal sumSquares) {
        this(units, positive, sum, sumSquares, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, DerivedDelta.NONE, Map.of());
    }

    AggregateDelta(long units, long positive, BigDecimal sum, BigDecimal sumSquares,
                   BigDecimal covariateSum, BigDecimal covariateSquares, BigDecimal crossProducts) {
        this(units, positive, sum, sumSquares, covariateSum, covariateSquares, crossProducts, DerivedDelta.NONE, Map.of());
    }

    /** A unit's covariate x entering the sums at its first exposure. */
    static AggregateDelta covariate(BigDecimal x) {
        return new AggregateDelta(0, 0, BigDecimal.ZERO, BigDecimal.ZERO, x, x.multiply(x), BigDecimal.ZERO, DerivedDelta.NONE, Map.of());
    }

    /** This change of a metric's sums, with the cross product x·v of the unit's covariate x and the change v. */
    AggregateDelta withCrossProduct(BigDecimal xv) {
        return new AggregateDelta(units, positive, sum, sumSquares, covariateSum, covariateSquares, crossProducts.add(xv), derived,
                bins);
    }

    /** This change with the capped and ratio sums' increments. */
    AggregateDelta withDerived(DerivedDelta d) {
        return new AggregateDelta(units, positive, sum, sumSquares, covariateSum, covariateSquares, crossProducts, derived.plus(d),
                bins);
    }

    /** This change with sketch bin counters added. */
    AggregateDelta withBins(Map<String, Long> more) {
        return new AggregateDelta(units, positive, sum, sumSquares, covariateSum, covariateSquares, crossProducts, derived,
                merge(bins, more));
    }

    AggregateDelta plus(AggregateDelta o) {
        return new AggregateDelta(units + o.units, positive + o.positive, sum.add(o.sum), sumSquares.add(o.sumSquares),
                covariateSum.add(o.covariateSum), covariateSquares.add(o.covariateSquares), crossProducts.add(o.crossProducts),
                derived.plus(o.derived), merge(bins, o.bins));
    }

    private static Map<String, Long> merge(Map<String, Long> a, Map<String, Long> b) {
        if (b.isEmpty()) {
            return a;
        }
        Map<String, Long> merged = new HashMap<>(a);
        b.forEach((bin, n) -> merged.merge(bin, n, (x, y) -> x + y == 0 ? null : x + y));
        return merged;
    }
}
