package io.splitline.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Consistent reads of many items of one table: one {@code BatchGetItem} per 100 keys, its unprocessed keys
 * asked again after a short pause until none is left.
 */
final class BatchReads {
    private static final int BATCH_GET_LIMIT = 100;

    private BatchReads() {
    }

    /** The stored items among these keys (absent keys have none), with only {@code projection} when not null. */
    static List<Map<String, AttributeValue>> consistent(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> keys,
                                                        String projection) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += BATCH_GET_LIMIT) {
            KeysAndAttributes.Builder request = KeysAndAttributes.builder()
                    .keys(keys.subList(from, Math.min(keys.size(), from + BATCH_GET_LIMIT)))
                    .consistentRead(true);
            if (projection != null) {
                request.projectionExpression("#p").expressionAttributeNames(Map.of("#p", projection));
            }
            Map<String, KeysAndAttributes> pending = Map.of(table, request.build());
            int rounds = 0;
            while (!pending.isEmpty()) {
                if (rounds++ > 0) {
                    Backoff.pause(rounds);
                }
                Map<String, KeysAndAttributes> requested = pending;
                BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(requested));
                items.addAll(response.responses().getOrDefault(table, List.of()));
                pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        return items;
    }
}
