package io.splitline.aggregate;

import java.util.Map;

/**
 * The port through which results and the rollout step read the summed aggregates of one experiment (or
 * rollout stage). The DynamoDB implementation is {@code DynamoDbAggregateReader} (module {@code dynamodb}).
 */
public interface AggregateReader {
    /** Totals by variant key, for every variant that has at least one stored aggregate. */
    Map<String, VariantAggregates> read(String key, String scope);
}
