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
     * The lookbacks of the active targets that derive CUPED covariates from keyless events before exposure, by
     * target key ({@link DerivedCovariates}); none by default.
     */
    default Map<String, CovariateLookback> lookbacks() {
        return Map.of();
    }
}
