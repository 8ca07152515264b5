package io.splitline.aggregate;

import java.util.List;
import java.util.Map;

/**
 * The port through which results and the rollout step read the summed aggregates of one experiment (or
 * rollout stage). The DynamoDB implementation is {@code DynamoDbAggregateReader} (module {@code dynamodb}).
 */
public interface AggregateReader {
    /**
     * Totals by variant key, for every variant that has at least one stored aggregate, summed over shards
     * {@code 0 … shards − 1}: the experiment's {@code aggregateShards}, or more (a shard never written reads as nothing).
     */
    Map<String, VariantAggregates> read(String key, String scope, int shards);

    /** {@link #read(String, String, int)} of all {@link Shards#COUNT} shards: right whatever count the fold used. */
    default Map<String, VariantAggregates> read(String key, String scope) {
        return read(key, scope, Shards.COUNT);
    }

    /**
     * Totals of every segment of the experiment (or rollout stage), ordered by dimension then value, each by
     * variant key as {@link #read}; empty when it declares no dimensions or no unit was exposed through the
     * stream fold yet ({@link SegmentTable}).
     */
    List<SegmentVariants> segments(String key, String scope, int shards);

    /** {@link #segments(String, String, int)} of all {@link Shards#COUNT} shards: right whatever count the fold used. */
    default List<SegmentVariants> segments(String key, String scope) {
        return segments(key, scope, Shards.COUNT);
    }
}
