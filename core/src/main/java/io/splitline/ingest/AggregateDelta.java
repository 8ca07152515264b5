package io.splitline.ingest;

import java.math.BigDecimal;

/**
 * Increments to one aggregate item, merged over every unit of a transaction that maps to it
 * (DynamoDB forbids two operations on one item in a transaction). On a metric item, besides the
 * metric's own sums, CUPED's: Σx, Σx² (x the unit's covariate, added at first exposure) and Σxy (x times
 * each change of the unit's total y, since x is fixed); and the capped and ratio sums ({@link DerivedDelta}).
 */
record AggregateDelta(long units, long positive, BigDecimal sum, BigDecimal sumSquares,
                      BigDecimal covariateSum, BigDecimal covariateSquares, BigDecimal crossProducts, DerivedDelta derived) {
    static final AggregateDelta ZERO = new AggregateDelta(0, 0, BigDecimal.ZERO, BigDecimal.ZERO);

    AggregateDelta(long units, long positive, BigDecimal sum, BigDecimal sumSquares) {
        this(units, positive, sum, sumSquares, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
    }

    AggregateDelta(long units, long positive, BigDecimal sum, BigDecimal sumSquares,
                   BigDecimal covariateSum, BigDecimal covariateSquares, BigDecimal crossProducts) {
        this(units, positive, sum, sumSquares, covariateSum, covariateSquares, crossProducts, DerivedDelta.NONE);
    }

    /** A unit's covariate x entering the sums at its first exposure. */
    static AggregateDelta covariate(BigDecimal x) {
        return new AggregateDelta(0, 0, BigDecimal.ZERO, BigDecimal.ZERO, x, x.multiply(x), BigDecimal.ZERO);
    }

    /** This change of a metric's sums, with the cross product x·v of the unit's covariate x and the change v. */
    AggregateDelta withCrossProduct(BigDecimal xv) {
        return new AggregateDelta(units, positive, sum, sumSquares, covariateSum, covariateSquares, crossProducts.add(xv), derived);
    }

    /** This change with the capped and ratio sums' increments. */
    AggregateDelta withDerived(DerivedDelta d) {
        return new AggregateDelta(units, positive, sum, sumSquares, covariateSum, covariateSquares, crossProducts, derived.plus(d));
    }

    AggregateDelta plus(AggregateDelta o) {
        return new AggregateDelta(units + o.units, positive + o.positive, sum.add(o.sum), sumSquares.add(o.sumSquares),
                covariateSum.add(o.covariateSum), covariateSquares.add(o.covariateSquares), crossProducts.add(o.crossProducts),
                derived.plus(o.derived));
    }
}
