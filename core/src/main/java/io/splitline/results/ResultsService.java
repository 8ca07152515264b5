package io.splitline.results;

import io.splitline.aggregate.AggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.error.NotFoundException;
import io.splitline.experiment.Experiment;
import io.splitline.experiment.ExperimentStoreCodec;
import io.splitline.ingest.IngestTarget;
import io.splitline.store.DefinitionKind;
import io.splitline.store.DefinitionStore;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /experiments/{key}/results}: reads the experiment and its aggregates — one GetItem and
 * one Query per aggregate shard, whatever the number of events, the GetItem beside the queries
 * ({@link SideReads}), and as many Queries again for the segments of an experiment that declares
 * dimensions ({@link StoredSegments}) — and computes the statistics, or reuses the
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
        // The definition is read beside the shard queries: one round trip less. An unknown key costs the
        // shard queries too (they find nothing); a bounded price for every other call's round trip.
        CompletableFuture<Optional<Experiment>> stored = SideReads.start(
                () -> definitions.get(DefinitionKind.EXPERIMENT, key).map(ExperimentStoreCodec::decode));
        Map<String, VariantAggregates> read = aggregates.read(key, IngestTarget.EXPERIMENT_SCOPE);
        Experiment experiment = SideReads.join(stored)
                .orElseThrow(() -> new NotFoundException("no experiment '" + key + "'"));
        List<VariantAggregates> data = StoredArms.of(experiment.spec(), read);
        return memo.compute(experiment.spec(), experiment.status(), data, StoredSegments.of(experiment.spec(), aggregates),
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }
}
