package io.splitline.ingest;

import io.splitline.aggregate.Shards;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What ingest needs to know about the experiment or rollout an event names.
 *
 * @param key              experiment or rollout key
 * @param scope            where its exposures and aggregates live: {@code "-"} for an experiment,
 *                         {@code "s<stageIndex>"} for the current stage of a rollout
 * @param active           whether events count now (running experiment, in-progress or paused rollout)
 * @param armOf            the arm a unit gets, derived from the hash exactly as {@code /assign} does;
 *                         empty when the unit is outside (not covered, outside the namespace)
 * @param guardrailMetrics metrics that are also emitted to CloudWatch as EMF
 * @param derivedSums      the capped and ratio sums kept beside the metrics' own
 * @param valueSketches    quantile metrics: their event values are counted in sketch bins
 * @param totalSketches    mean metrics capped at a percentile: their units' current totals are counted in sketch bins
 * @param dimensions       the experiment's segment dimensions: a unit's values are fixed at its first exposure
 *                         ({@link SegmentValues}); empty for none
 * @param aggregateShards  how many aggregate partitions its increments spread over ({@link Shards#of(String, int)}):
 *                         the experiment's {@code aggregateShards}, {@link Shards#COUNT} for rollouts and holdouts
 */
public record IngestTarget(String key, String scope, boolean active, Function<String, Optional<String>> armOf,
                           Set<String> guardrailMetrics, DerivedSums derivedSums, Set<String> valueSketches,
                           Set<String> totalSketches, List<String> dimensions, int aggregateShards) {
    public static final String EXPERIMENT_SCOPE = "-";

    public IngestTarget {
        guardrailMetrics = Set.copyOf(guardrailMetrics);
        valueSketches = Set.copyOf(valueSketches);
        totalSketches = Set.copyOf(totalSketches);
        dimensions = List.copyOf(dimensions);
        Shards.of("", aggregateShards); // refuses a count the readers could not read back
    }

    /**
     * A target whose increments spread over all {@link Shards#COUNT} shards: a rollout's or a holdout's. Not for an
     * experiment, whose target must carry its definition's {@code aggregateShards} ({@code DefinitionTargets} does):
     * with 16 here its sums would go to shards its results (reading 4 by default) never query.
     */
    public IngestTarget(String key, String scope, boolean active, Function<String, Optional<String>> armOf,
                        Set<String> guardrailMetrics, DerivedSums derivedSums, Set<String> valueSketches,
                        Set<String> totalSketches, List<String> dimensions) {
        this(key, scope, active, armOf, guardrailMetrics, derivedSums, valueSketches, totalSketches, dimensions, Shards.COUNT);
    }

    /** A target without segment dimensions. */
    public IngestTarget(String key, String scope, boolean active, Function<String, Optional<String>> armOf,
                        Set<String> guardrailMetrics, DerivedSums derivedSums, Set<String> valueSketches,
                        Set<String> totalSketches) {
        this(key, scope, active, armOf, guardrailMetrics, derivedSums, valueSketches, totalSketches, List.of());
    }

    /** A target without capped, ratio or sketched metrics (rollouts, holdouts). */
    public IngestTarget(String key, String scope, boolean active, Function<String, Optional<String>> armOf,
                        Set<String> guardrailMetrics) {
        this(key, scope, active, armOf, guardrailMetrics, DerivedSums.NONE, Set.of(), Set.of());
    }

    public static String stageScope(int stageIndex) {
        return "s" + stageIndex;
    }
}
