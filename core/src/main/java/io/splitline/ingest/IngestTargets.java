package io.splitline.ingest;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Looks up the experiment or rollout an event names; empty when no such key exists. */
@FunctionalInterface
public interface IngestTargets {
    Optional<IngestTarget> find(String key);

    /**
     * The targets a keyless event fans out to: every running experiment and active rollout stage. A
     * lookup that only knows keys it is asked about (a test's, a single experiment's) knows none, so by
     * default keyless events count nowhere (answered {@code ignored}).
     */
    default List<IngestTarget> active() {
        return List.of();
    }

    /**
     * The targets a keyless record of the stream is split into by the fold: {@link #active()} and, as inactive targets,
     * those an earlier attempt at the record's batch may have found active — stopped, or a rollout stage moved on,
     * within {@link MarkerPruning#RETIRE_AFTER} (past the stream's 24 h retention and any cache staleness). The fold
     * only replays into an inactive target what its unit items already hold (finding F3 of docs/ingest-v2.md), so a
     * retry after a stop still brings the aggregates up to the units. By default the active ones.
     */
    default List<IngestTarget> keylessFanOut() {
        return active();
    }

    /**
     * The lookbacks of the active targets that derive CUPED covariates from keyless events before exposure, by
     * target key ({@link DerivedCovariates}); none by default.
     */
    default Map<String, CovariateLookback> lookbacks() {
        return Map.of();
    }
}
