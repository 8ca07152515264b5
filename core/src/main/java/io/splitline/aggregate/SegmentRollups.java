package io.splitline.aggregate;

import java.time.Instant;
import java.util.Optional;

/**
 * The port through which results keep the segment roll-up of an experiment ({@link SegmentRollup}): one stored
 * item read beside the whole experiment's shard queries, recomputed from the segment partitions when it is missing
 * or too old. The DynamoDB implementation is {@code DynamoDbSegmentRollups} (module {@code dynamodb}).
 */
public interface SegmentRollups {
    /** The stored roll-up, if any. */
    Optional<SegmentRollup> read(String key, String scope);

    /**
     * Sums the segment partitions now (shards {@code 0 … shards − 1}: the experiment's {@code aggregateShards}) and stores the sums as {@code version}, unless another call stored that version
     * first (the write is conditional on the stored version being {@code version − 1}, or on none for version 1).
     * Either way returns the sums this call read, stamped {@code at}: a call that loses the race shows its own
     * (equally fresh) figures.
     */
    SegmentRollup recompute(String key, String scope, int shards, long version, Instant at);

    /**
     * No stored roll-up: every results call reads the segment partitions through {@code aggregates}, as before the
     * roll-up existed (the core's tests and the benchmark's reference use it).
     */
    static SegmentRollups live(AggregateReader aggregates) {
        return new SegmentRollups() {
            @Override
            public Optional<SegmentRollup> read(String key, String scope) {
                return Optional.empty();
            }

            @Override
            public SegmentRollup recompute(String key, String scope, int shards, long version, Instant at) {
                return new SegmentRollup(version, at, aggregates.segments(key, scope, shards));
            }
        };
    }
}
