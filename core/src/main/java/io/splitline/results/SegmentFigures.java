package io.splitline.results;

import io.splitline.aggregate.SegmentRollup;
import io.splitline.aggregate.SegmentRollups;
import io.splitline.ingest.IngestTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Which segment aggregates a results call shows: the stored roll-up while it is at most {@code maxAge} old, else the
 * segment partitions summed now and stored as the next roll-up ({@link SegmentRollups#recompute}). The whole
 * experiment's figures are always read live; only the exploratory segments may lag, by at most {@code maxAge}, and
 * the response says by how much ({@code segmentsComputedAt}). The bound is what keeps a results call's reads a
 * small constant: a roll-up item instead of 16 segment partitions of dimensions × values × variants × (metrics + 1)
 * items each (BENCHMARKS.md, "Segment roll-up").
 */
final class SegmentFigures {
    private final SegmentRollups rollups;
    private final Duration maxAge;

    SegmentFigures(SegmentRollups rollups, Duration maxAge) {
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("the roll-up's age bound must not be negative, got " + maxAge);
        }
        this.rollups = rollups;
        this.maxAge = maxAge;
    }

    /** The stored roll-up of the experiment {@code key} (read beside the whole experiment's shard queries). */
    Optional<SegmentRollup> stored(String key) {
        return rollups.read(key, IngestTarget.EXPERIMENT_SCOPE);
    }

    /** {@code stored} if it is fresh at {@code now}, else a roll-up recomputed now (one version after {@code stored}). */
    SegmentRollup shown(String key, Optional<SegmentRollup> stored, Instant now) {
        if (stored.isPresent() && !now.isAfter(stored.get().computedAt().plus(maxAge))) {
            return stored.get();
        }
        return rollups.recompute(key, IngestTarget.EXPERIMENT_SCOPE, stored.map(r -> r.version() + 1).orElse(1L), now);
    }
}
