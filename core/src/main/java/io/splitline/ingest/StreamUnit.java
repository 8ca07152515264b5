package io.splitline.ingest;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * A unit item as the stream fold keeps it: its state plus what makes re-applying a stream batch
 * exactly-once without transactions.
 *
 * @param state      variant, exposure, totals, covariates and version, as ingest has always kept them
 * @param sequence   the last stream record of this unit folded into {@code state}; null for a unit only ever
 *                   written by {@code /assign} or the transactional ingest
 * @param exposedBy  the stream record whose exposure created the unit; null when something else created it
 * @param before     for each record of the last write that moved a total: the unit's total of that record's
 *                   metric just before it. A retried batch recomputes those records' increments from here,
 *                   exactly as the first attempt did, without moving the unit again.
 * @param segments   dimension → the unit's segment value, fixed at its first exposure in the stream
 *                   ({@link SegmentValues}); empty without dimensions or for a unit exposed outside the stream
 */
public record StreamUnit(UnitState state, BigInteger sequence, BigInteger exposedBy, Map<BigInteger, BigDecimal> before,
                         Map<String, String> segments) {
    public StreamUnit {
        before = Map.copyOf(before);
        segments = Map.copyOf(segments);
    }

    /** A unit without segment values. */
    public StreamUnit(UnitState state, BigInteger sequence, BigInteger exposedBy, Map<BigInteger, BigDecimal> before) {
        this(state, sequence, exposedBy, before, Map.of());
    }
}
