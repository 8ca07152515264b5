package io.splitline.results;

import io.splitline.aggregate.CappedSums;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.Metric;
import io.splitline.results.ExperimentResults.Capping;
import io.splitline.stats.MetricAggregate;

/**
 * A mean metric with an absolute cap ({@code cap.value}) reads its capped sums ({@link CappedSums}): every statistic of the metric — mean,
 * deviation, tests, power — is that of the per-unit totals limited to the cap, min(x, cap). Ingest keeps
 * them from the experiment's start (the cap is frozen once it runs), so a variant without an entry has no
 * events for the metric.
 */
final class CappedResults {
    private CappedResults() {
    }

    /** The metric's aggregate as its statistics see it: capped for a capped metric, else as recorded. */
    static MetricAggregate aggregate(Metric m, VariantAggregates a) {
        MetricAggregate raw = a.metric(m.key());
        return m.capValue() == null ? raw : a.capped().getOrDefault(m.key(), CappedSums.EMPTY).moments(raw);
    }

    /** The cap and how many of the variant's units it limited, or null without an absolute cap (see {@link PercentileCaps}). */
    static Capping capping(Metric m, VariantAggregates a) {
        return m.capValue() == null ? null
                : new Capping(m.capValue(), a.capped().getOrDefault(m.key(), CappedSums.EMPTY).cappedUnits());
    }
}
