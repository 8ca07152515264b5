package io.splitline.bench.harness;

import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.Shards;
import io.splitline.aggregate.VariantAggregates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The other way issue 17 asks about to read the aggregate shards in parallel: the SDK's async client (Netty),
 * all {@link Shards#COUNT} queries in flight at once, no thread of ours. The same queries and the same sum as
 * {@link DynamoDbAggregateReader}, so the numbers are identical; benchmark only (the functions do not carry Netty).
 */
final class AsyncShardReader {
    private final DynamoDbAsyncClient dynamo;
    private final String table;

    AsyncShardReader(DynamoDbAsyncClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    Map<String, VariantAggregates> read(String key, String scope) {
        List<CompletableFuture<List<Map<String, AttributeValue>>>> queries = new ArrayList<>();
        for (int shard = 0; shard < Shards.COUNT; shard++) {
            queries.add(query(DynamoDbAggregateReader.shardQuery(table, key, scope, shard), new ArrayList<>()));
        }
        return DynamoDbAggregateReader.sum(queries.stream().map(CompletableFuture::join).toList());
    }

    /** One shard, page after page (a shard's items fit in one page; the loop keeps it exact if not). */
    private CompletableFuture<List<Map<String, AttributeValue>>> query(QueryRequest request, List<Map<String, AttributeValue>> items) {
        return dynamo.query(request).thenCompose(page -> {
            items.addAll(page.items());
            return page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                    ? query(request.toBuilder().exclusiveStartKey(page.lastEvaluatedKey()).build(), items)
                    : CompletableFuture.completedFuture(items);
        });
    }
}
