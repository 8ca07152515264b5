package io.splitline.results;

import io.splitline.aggregate.SegmentRollup;
import io.splitline.aggregate.SegmentRollups;
import io.splitline.ingest.IngestTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which segment aggregates a results call shows: the stored roll-up while it is at most {@code maxAge} old, else the
 * segment partitions summed now and stored as the next roll-up ({@link SegmentRollups#recompute}). The whole
 * experiment's figures are always read live; only the exploratory segments may lag, by at most {@code maxAge}, and
 * the response says by how much ({@code segmentsComputedAt}). The bound is what keeps a results call's reads a
 * small constant: a roll-up item instead of 16 segment partitions of dimensions × values × variants × (metrics + 1)
 * items each (BENCHMARKS.md, "Segment roll-up").
 *
 * <p>The roll-up a call showed is remembered (per container, the {@link #REMEMBERED} experiments shown last), and
 * while it is within {@code maxAge} the next call shows it again without reading the stored item: it satisfies the
 * same bound, which is all the stored one promises (another container may have stored a newer one meanwhile; either
 * is at most {@code maxAge} old). So a warm container's results call with dimensions makes the requests of one
 * without: the definition and the shard queries.
 */
final class SegmentFigures {
    static final int REMEMBERED = 64;

    private final SegmentRollups rollups;
    private final Duration maxAge;
    private final Map<String, SegmentRollup> shown = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SegmentRollup> eldest) {
            return size() > REMEMBERED;
        }
    };

    SegmentFigures(SegmentRollups rollups, Duration maxAge) {
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("the roll-up's age bound must not be negative, got " + maxAge);
        }
        this.rollups = rollups;
        this.maxAge = maxAge;
    }

    /**
     * The roll-up of the experiment {@code key} to start from (read beside the whole experiment's shard queries): the one
     * this container showed last if it is still fresh at {@code now}, else the stored one.
     */
    Optional<SegmentRollup> stored(String key, Instant now) {
        SegmentRollup last = remembered(key);
        if (last != null && fresh(last, now)) {
            return Optional.of(last);
        }
        return rollups.read(key, IngestTarget.EXPERIMENT_SCOPE);
    }

    /** {@code stored} if it is fresh at {@code now}, else a roll-up recomputed now (one version after {@code stored}). */
    SegmentRollup shown(String key, int shards, Optional<SegmentRollup> stored, Instant now) {
        if (stored.isPresent() && !fresh(stored.get(), now) && stored.get() == remembered(key)) {
            // the remembered one went stale during the call: another container may have stored a newer one since
            stored = rollups.read(key, IngestTarget.EXPERIMENT_SCOPE);
        }
        SegmentRollup rollup = stored.isPresent() && fresh(stored.get(), now) ? stored.get()
                : rollups.recompute(key, IngestTarget.EXPERIMENT_SCOPE, shards, stored.map(r -> r.version() + 1).orElse(1L), now);
        synchronized (shown) {
            shown.put(key, rollup);
        }
        return rollup;
    }

    private SegmentRollup remembered(String key) {
        synchronized (shown) {
            return shown.get(key);
        }
    }

    private boolean fresh(SegmentRollup rollup, Instant now) {
        return !now.isAfter(rollup.computedAt().plus(maxAge));
    }
}
