package io.splitline.ingest;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A unit item as the stream fold keeps it: its state plus what makes re-applying a stream batch
 * exactly-once without transactions.
 *
 * @param state      variant, exposure, totals, covariates and version, as ingest has always kept them
 * @param sequence   the last stream record of this unit folded into {@code state}; null for a unit only ever
 *                   written by {@code /assign} or the transactional ingest
 * @param exposedBy  the stream record whose exposure created the unit; null when something else created it
 * @param before     for each record of the last write that moved a total: that record's metric and the unit's
 *                   total of it just before the record. A retried batch recomputes those records' increments
 *                   from here ({@link #statesBefore()}), exactly as the first attempt did, without moving the
 *                   unit again.
 * @param segments   dimension → the unit's segment value, fixed at its first exposure in the stream
 *                   ({@link SegmentValues}); empty without dimensions or for a unit exposed outside the stream
 */
public record StreamUnit(UnitState state, BigInteger sequence, BigInteger exposedBy, Map<BigInteger, Before> before,
                         Map<String, String> segments) {
    public StreamUnit {
        before = Map.copyOf(before);
        segments = Map.copyOf(segments);
    }

    /** A unit without segment values. */
    public StreamUnit(UnitState state, BigInteger sequence, BigInteger exposedBy, Map<BigInteger, Before> before) {
        this(state, sequence, exposedBy, before, Map.of());
    }

    /** What a record of the last write moved: its metric, and the unit's total of it just before the record. */
    public record Before(String metric, BigDecimal total) {
    }

    /**
     * The unit's state just before each record of {@link #before()}, as the write that stored it saw it: the stored
     * state with that record and every later one of the write undone (each record moved only its own metric's total).
     * A replayed record's increments depend on other totals too (a ratio's Σ numerator·denominator reads the other
     * part's), so they are recomputed from these states, never from the state after the whole write.
     */
    public NavigableMap<BigInteger, UnitState> statesBefore() {
        NavigableMap<BigInteger, UnitState> states = new TreeMap<>();
        UnitState undone = state;
        for (Map.Entry<BigInteger, Before> b : new TreeMap<>(before).descendingMap().entrySet()) {
            undone = undone.withTotal(b.getValue().metric(), b.getValue().total());
            states.put(b.getKey(), undone);
        }
        return states;
    }
}
