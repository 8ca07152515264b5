package io.splitline.ingest;

import io.splitline.aggregate.AggregateTable;
import io.splitline.stats.SketchBin;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * The sketch bin counters one metric event changes on its metric item, beside the Σx and Σx² increments:
 * for a quantile metric, +1 in the bin of the event's value; for a percentile-capped metric, the unit's
 * total moving from a to b, −1 in a's bin and +1 in b's (a total of 0 is not binned: results count the units
 * without a bin as zeros). Computed from the same read total as Σx², so the unit item's version condition makes
 * them exactly-once too.
 */
final class SketchIncrements {
    /** The most counters one event touches: its value's bin, and its unit's old and new totals' bins. */
    static final int MAX_PER_EVENT = 3;

    private SketchIncrements() {
    }

    static Map<String, Long> of(IngestTarget target, String metric, BigDecimal value, BigDecimal before, BigDecimal after) {
        Map<String, Long> bins = new HashMap<>();
        if (target.valueSketches().contains(metric)) {
            bins.merge(AggregateTable.valueBin(SketchBin.of(value)), 1L, Long::sum);
        }
        if (target.totalSketches().contains(metric)) {
            if (before.signum() != 0) {
                bins.merge(AggregateTable.totalBin(SketchBin.of(before)), -1L, Long::sum);
            }
            if (after.signum() != 0) {
                bins.merge(AggregateTable.totalBin(SketchBin.of(after)), 1L, Long::sum);
            }
            bins.values().removeIf(n -> n == 0); // a move within one bin changes nothing
        }
        return bins;
    }

    /** Whether the metric's item gets counters at all. */
    static boolean sketched(IngestTarget target, String metric) {
        return target.valueSketches().contains(metric) || target.totalSketches().contains(metric);
    }
}
