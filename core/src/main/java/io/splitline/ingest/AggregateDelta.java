package io.splitline.ingest;

import java.math.BigDecimal;

/**
 * Increments to one aggregate item, merged over every unit of a transaction that maps to it
 * (DynamoDB forbids two operations on one item in a transaction).
 */
record AggregateDelta(long units, long positive, BigDecimal sum, BigDecimal sumSquares) {
    static final AggregateDelta ZERO = new AggregateDelta(0, 0, BigDecimal.ZERO, BigDecimal.ZERO);

    AggregateDelta plus(AggregateDelta o) {
        return new AggregateDelta(units + o.units, positive + o.positive, sum.add(o.sum), sumSquares.add(o.sumSquares));
    }
}
