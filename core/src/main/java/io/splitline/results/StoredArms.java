package io.splitline.results;

import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.MetricType;
import io.splitline.stats.CovariateSums;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored aggregates of a definition's arms as the statistics read them, in the definition's variant
 * order: an arm without any item is empty; only mean metrics keep their covariate sums, since ingest keeps
 * CUPED's cross product as x times the unit's total since exposure, which is Σxy for a mean metric but not for
 * a conversion (whose y is 0 or 1); and the ratios' Σab are completed ({@link RatioProducts}). Experiments'
 * and holdouts' results both read their arms through here.
 */
public final class StoredArms {
    private StoredArms() {
    }

    /** The arms of {@code spec}, from the aggregates {@code stored} by variant key. */
    public static List<VariantAggregates> of(ExperimentSpec spec, Map<String, VariantAggregates> stored) {
        List<VariantAggregates> arms = new ArrayList<>();
        spec.variants().forEach(v -> arms.add(RatioProducts.complete(
                meanCovariatesOnly(stored.getOrDefault(v.key(), VariantAggregates.empty(v.key())), spec), spec)));
        return arms;
    }

    private static VariantAggregates meanCovariatesOnly(VariantAggregates v, ExperimentSpec spec) {
        Map<String, CovariateSums> mean = new HashMap<>();
        spec.metrics().stream().filter(m -> m.type() == MetricType.MEAN && v.covariates().containsKey(m.key()))
                .forEach(m -> mean.put(m.key(), v.covariates().get(m.key())));
        return new VariantAggregates(v.variant(), v.units(), v.metrics(), mean, v.ratioProducts(), v.capped(),
                v.valueSketches(), v.totalSketches());
    }
}
