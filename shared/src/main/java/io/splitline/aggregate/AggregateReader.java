package io.splitline.aggregate;

import io.splitline.results.VariantAggregates;
import io.splitline.stats.MetricAggregate;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Reads the aggregates of one experiment (or rollout stage): one Query per shard, summed. The cost is
 * {@link Shards#COUNT} requests returning variants × (metrics + 1) items each, whatever the number of
 * events ingested.
 */
public final class AggregateReader {
    private final DynamoDbClient dynamo;
    private final String table;

    public AggregateReader(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Totals by variant key, for every variant that has at least one stored aggregate. */
    public Map<String, VariantAggregates> read(String key, String scope) {
        Map<String, Long> units = new TreeMap<>();
        Map<String, Map<String, MetricAggregate>> metrics = new TreeMap<>();
        for (int shard = 0; shard < Shards.COUNT; shard++) {
            QueryRequest request = QueryRequest.builder()
                    .tableName(table)
                    .keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(Map.of("#pk", AggregateTable.PK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(AggregateTable.pk(key, scope, shard))))
                    .consistentRead(true)
                    .build();
            for (Map<String, AttributeValue> item : dynamo.queryPaginator(request).items()) {
                String sk = item.get(AggregateTable.SK).s();
                int hash = sk.indexOf('#');
                if (hash < 0) {
                    units.merge(sk, number(item, AggregateTable.UNITS).longValueExact(), Long::sum);
                } else {
                    String variant = sk.substring(0, hash);
                    MetricAggregate totals = new MetricAggregate(number(item, AggregateTable.POSITIVE).longValueExact(),
                            number(item, AggregateTable.SUM), number(item, AggregateTable.SUM_SQUARES));
                    metrics.computeIfAbsent(variant, v -> new HashMap<>()).merge(sk.substring(hash + 1), totals, MetricAggregate::plus);
                }
            }
        }
        Map<String, VariantAggregates> result = new LinkedHashMap<>();
        for (String variant : union(units, metrics)) {
            result.put(variant, new VariantAggregates(variant, units.getOrDefault(variant, 0L),
                    metrics.getOrDefault(variant, Map.of())));
        }
        return result;
    }

    private static Iterable<String> union(Map<String, Long> units, Map<String, Map<String, MetricAggregate>> metrics) {
        TreeMap<String, Boolean> keys = new TreeMap<>();
        units.keySet().forEach(k -> keys.put(k, true));
        metrics.keySet().forEach(k -> keys.put(k, true));
        return keys.keySet();
    }

    private static BigDecimal number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? BigDecimal.ZERO : new BigDecimal(value.n());
    }
}
