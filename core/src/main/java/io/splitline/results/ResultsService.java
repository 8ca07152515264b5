package io.splitline.results;

import io.splitline.aggregate.AggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.error.NotFoundException;
import io.splitline.experiment.Experiment;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStoreCodec;
import io.splitline.experiment.MetricType;
import io.splitline.ingest.IngestTarget;
import io.splitline.stats.CovariateSums;
import io.splitline.store.DefinitionKind;
import io.splitline.store.DefinitionStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /experiments/{key}/results}: reads the experiment and its aggregates — one GetItem and
 * one Query per aggregate shard, whatever the number of events — and computes the statistics, or reuses the
 * last ones computed from the same definition, status and aggregates ({@link ResultsMemo}).
 */
public final class ResultsService {
    private final DefinitionStore definitions;
    private final AggregateReader aggregates;
    private final Clock clock;
    private final ResultsMemo memo = new ResultsMemo();

    public ResultsService(DefinitionStore definitions, AggregateReader aggregates, Clock clock) {
        this.definitions = definitions;
        this.aggregates = aggregates;
        this.clock = clock;
    }

    public ExperimentResults results(String key) {
        Experiment experiment = definitions.get(DefinitionKind.EXPERIMENT, key)
                .map(ExperimentStoreCodec::decode)
                .orElseThrow(() -> new NotFoundException("no experiment '" + key + "'"));
        Map<String, VariantAggregates> stored = aggregates.read(key, IngestTarget.EXPERIMENT_SCOPE);
        List<VariantAggregates> data = new ArrayList<>();
        experiment.spec().variants().forEach(v ->
                data.add(RatioProducts.complete(meanCovariatesOnly(stored.getOrDefault(v.key(), VariantAggregates.empty(v.key())),
                        experiment.spec()), experiment.spec())));
        return memo.compute(experiment.spec(), experiment.status(), data, List.of(),
                clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }

    /**
     * Ingest keeps CUPED's cross product as x times the unit's total since exposure: that is Σxy for a mean
     * metric, but not for a conversion (whose y is 0 or 1), so only mean metrics keep their covariate sums.
     */
    private static VariantAggregates meanCovariatesOnly(VariantAggregates v, ExperimentSpec spec) {
        Map<String, CovariateSums> mean = new HashMap<>();
        spec.metrics().stream().filter(m -> m.type() == MetricType.MEAN && v.covariates().containsKey(m.key()))
                .forEach(m -> mean.put(m.key(), v.covariates().get(m.key())));
        return new VariantAggregates(v.variant(), v.units(), v.metrics(), mean, v.ratioProducts(), v.capped(),
                v.valueSketches(), v.totalSketches());
    }
}
