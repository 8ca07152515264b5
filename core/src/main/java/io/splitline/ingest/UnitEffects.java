package io.splitline.ingest;

import io.splitline.aggregate.AggregateTable;
import java.math.BigDecimal;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * What one counted event does to its unit and to the aggregates, for the stream fold ({@link StreamFold}; the
 * benchmarks' baseline, design A's transactional ingest, moves the same sums through it). Each increment is handed to {@code out} with the aggregate item it belongs to; the caller
 * chooses the aggregate partition ({@code aggregatePk}).
 */
final class UnitEffects {
    private UnitEffects() {
    }

    /** A unit's first exposure: one more unit in its variant and, for CUPED, its covariates entering the sums. */
    static void firstExposure(String aggregatePk, UnitState exposed, BiConsumer<AggregateItem, AggregateDelta> out) {
        out.accept(new AggregateItem(aggregatePk, AggregateTable.unitsSk(exposed.variant())),
                new AggregateDelta(1, 0, BigDecimal.ZERO, BigDecimal.ZERO));
        for (Map.Entry<String, BigDecimal> x : exposed.covariates().entrySet()) {
            out.accept(metricItem(aggregatePk, exposed.variant(), x.getKey()), AggregateDelta.covariate(x.getValue()));
        }
    }

    /**
     * A metric event moving the unit's total of its metric from a to a + v: Σx += v, Σx² += (a+v)² − a²,
     * positive units by the change of sign, Σxy by x·v, the target's derived sums (caps, ratio products) and
     * sketch counters by the same move. Returns the unit with its new total.
     */
    static UnitState metric(String aggregatePk, IngestTarget target, UnitState state, IngestEvent e,
                            BiConsumer<AggregateItem, AggregateDelta> out) {
        BigDecimal before = state.total(e.metric());
        BigDecimal after = before.add(e.value());
        DerivedDelta derived = target.derivedSums().delta(state, e.metric(), before, after);
        out.accept(metricItem(aggregatePk, state.variant(), e.metric()), new AggregateDelta(0,
                signum(after) - signum(before), e.value(), after.multiply(after).subtract(before.multiply(before)))
                .withCrossProduct(state.covariate(e.metric()).multiply(e.value()))
                .withDerived(derived)
                .withBins(SketchIncrements.of(target, e.metric(), e.value(), before, after)));
        return state.withTotal(e.metric(), after);
    }

    private static int signum(BigDecimal total) {
        return total.signum() > 0 ? 1 : 0;
    }

    static AggregateItem metricItem(String aggregatePk, String variant, String metric) {
        return new AggregateItem(aggregatePk, AggregateTable.metricSk(variant, metric));
    }
}
