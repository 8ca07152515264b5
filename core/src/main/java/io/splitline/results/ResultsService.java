package io.splitline.results;

import io.splitline.aggregate.AggregateReader;
import io.splitline.aggregate.SegmentRollup;
import io.splitline.aggregate.SegmentRollups;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.error.NotFoundException;
import io.splitline.experiment.Experiment;
import io.splitline.experiment.ExperimentLimits;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStoreCodec;
import io.splitline.ingest.IngestTarget;
import io.splitline.store.DefinitionKind;
import io.splitline.store.DefinitionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /experiments/{key}/results}: reads the experiment and its aggregates — one GetItem and
 * one Query per aggregate shard (its {@code aggregateShards}), whatever the number of events, the queries beside
 * the GetItem ({@link SideReads}), and for an experiment that declares dimensions the segments' roll-up: the one this
 * container showed last while it is within its bound, else read after the definition while the queries run, and
 * recomputed from the segment partitions when it is older than its bound ({@link SegmentFigures}) — and computes the statistics, or reuses the last ones computed from the same
 * inputs ({@link ResultsMemo}).
 */
public final class ResultsService {
    private final DefinitionStore definitions;
    private final AggregateReader aggregates;
    private final SegmentFigures segments;
    private final Clock clock;
    private final ResultsMemo memo = new ResultsMemo();
    /**
     * Each experiment's {@code aggregateShards} as its definition said at the last call, so that the shard queries
     * can start before the definition is read: the default count until then. Fixed once an experiment runs, so a
     * guess is wrong only on a container's first call for an experiment with another count (it then reads again,
     * after the definition). Bounded: emptied when it would hold more than {@link #REMEMBERED_COUNTS}.
     */
    private final Map<String, Integer> shardCounts = new ConcurrentHashMap<>();
    static final int REMEMBERED_COUNTS = 1024;

    /** Results whose segments are read from the segment partitions on every call (no roll-up is kept). */
    public ResultsService(DefinitionStore definitions, AggregateReader aggregates, Clock clock) {
        this(definitions, aggregates, SegmentRollups.live(aggregates), Duration.ZERO, clock);
    }

    /** Results whose segments come from {@code rollups}, recomputed once a roll-up is older than {@code maxAge}. */
    public ResultsService(DefinitionStore definitions, AggregateReader aggregates, SegmentRollups rollups, Duration maxAge,
                          Clock clock) {
        this.definitions = definitions;
        this.aggregates = aggregates;
        this.segments = new SegmentFigures(rollups, maxAge);
        this.clock = clock;
    }

    /** The definition and, for an experiment with dimensions, the stored segment roll-up. */
    private record Stored(Experiment experiment, Optional<SegmentRollup> rollup) {
    }

    public ExperimentResults results(String key) {
        return results(key, true);
    }

    /**
     * The results without the exploratory segments, which reads no segment aggregates: for a reader that looks only
     * at the whole experiment (the experiment watch: SRM, significance, guardrails, the recommendation).
     */
    public ExperimentResults wholeExperimentResults(String key) {
        return results(key, false);
    }

    private ExperimentResults results(String key, boolean withSegments) {
        // The shard queries run beside the definition's GetItem (and, with dimensions and no roll-up of this container's
        // still fresh, the roll-up's GetItem after it): the call waits for the longer of the two, not their sum. They read as many shards as the experiment
        // had at this container's last call for it (shardCounts); a wrong guess reads the right count once the
        // definition says it. An unknown key costs the guessed queries too (they find nothing); a bounded price for
        // every other call's round trip. The GetItems stay on the calling
        // thread, where the function's code is on the stack: that is how the IAM check attributes them to it.
        int guessed = shardCounts.getOrDefault(key, ExperimentLimits.DEFAULT_AGGREGATE_SHARDS);
        CompletableFuture<Map<String, VariantAggregates>> read =
                SideReads.start(() -> aggregates.read(key, IngestTarget.EXPERIMENT_SCOPE, guessed));
        Stored found = definitions.get(DefinitionKind.EXPERIMENT, key)
                .map(ExperimentStoreCodec::decode)
                .map(e -> new Stored(e, withSegments && !e.spec().dimensions().isEmpty()
                        ? segments.stored(key, clock.instant().truncatedTo(ChronoUnit.MILLIS)) : Optional.empty()))
                .orElseThrow(() -> new NotFoundException("no experiment '" + key + "'"));
        ExperimentSpec spec = found.experiment().spec();
        int shards = spec.aggregateShards();
        remember(key, shards);
        List<VariantAggregates> data = StoredArms.of(spec, shards == guessed ? SideReads.join(read)
                : aggregates.read(key, IngestTarget.EXPERIMENT_SCOPE, shards));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (!withSegments || spec.dimensions().isEmpty()) {
            return memo.compute(spec, found.experiment().status(), data, List.of(), now);
        }
        SegmentRollup shown = segments.shown(key, shards, found.rollup(), now);
        return memo.compute(spec, found.experiment().status(), data, StoredSegments.of(spec, shown.segments()),
                shown.computedAt(), now);
    }

    private void remember(String key, int shards) {
        if (shardCounts.size() >= REMEMBERED_COUNTS && !shardCounts.containsKey(key)) {
            shardCounts.clear();
        }
        shardCounts.put(key, shards);
    }
}
