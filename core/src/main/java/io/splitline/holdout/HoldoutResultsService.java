package io.splitline.holdout;

import io.splitline.aggregate.AggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.error.NotFoundException;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.ingest.IngestTarget;
import io.splitline.results.ExperimentResults;
import io.splitline.results.ResultsCalculator;
import io.splitline.results.StoredArms;
import io.splitline.store.DefinitionKind;
import io.splitline.store.DefinitionStore;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * {@code GET /holdouts/{key}/results}: the held-out units against every other unit that reached a
 * definition respecting the holdout, on the holdout's metrics, computed by the experiments' statistics
 * ({@link ResultsCalculator}) over the holdout's own aggregates ({@link HoldoutSpec#comparison}).
 */
public final class HoldoutResultsService {
    private final DefinitionStore definitions;
    private final AggregateReader aggregates;
    private final Clock clock;

    public HoldoutResultsService(DefinitionStore definitions, AggregateReader aggregates, Clock clock) {
        this.definitions = definitions;
        this.aggregates = aggregates;
        this.clock = clock;
    }

    public ExperimentResults results(String key) {
        Holdout holdout = definitions.get(DefinitionKind.HOLDOUT, key)
                .map(HoldoutStoreCodec::decode)
                .orElseThrow(() -> new NotFoundException("no holdout '" + key + "'"));
        ExperimentSpec comparison = holdout.spec().comparison();
        List<VariantAggregates> data = StoredArms.of(comparison, aggregates.read(key, IngestTarget.EXPERIMENT_SCOPE));
        return ResultsCalculator.compute(comparison, holdout.status(), data, clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }
}
