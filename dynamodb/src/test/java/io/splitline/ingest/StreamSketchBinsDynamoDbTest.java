package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.aggregate.AggregateTable;
import io.splitline.aggregate.Shards;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.store.TableNames;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Review finding 2: one stream batch folds every event of a (variant, metric) of its shard into one aggregate
 * update, so a quantile metric with many distinct values puts one sketch counter per distinct bin into a single
 * UpdateExpression — past DynamoDB's 4 KB expression limit, a batch that can never succeed however often it is
 * retried. The fold bounds counters per update ({@link StreamFoldStore#MAX_BINS_PER_UPDATE}).
 */
@ExtendWith(DynamoDbLocalExtension.class)
class StreamSketchBinsDynamoDbTest {
    static final String SHARD = StreamAggregatorTest.SHARDS.get(0);

    @Test
    void aBatchWithHundredsOfDistinctBinsOnOneItem_isFoldedExactly(LocalTables local) {
        String unit = StreamAggregatorTest.unitIn("treatment", 0);
        int events = 400;
        List<StreamRecord> batch = StreamFoldReviewTest.manyBins(unit, events);
        BigDecimal sum = batch.stream().map(r -> r.event().value()).reduce(BigDecimal.ZERO, BigDecimal::add);
        TableNames tables = TableNames.fromLogicalIds(local.names());
        StreamAggregator aggregator = new StreamAggregator(new DynamoDbStreamFoldStore(local.client(), tables), StreamFoldReviewTest.QUANTILE_TARGETS);

        aggregator.apply(SHARD, batch);
        aggregator.apply(SHARD, batch); // delivered again: nothing moves twice

        Map<String, AttributeValue> item = local.client().getItem(b -> b.tableName(tables.aggregates()).key(Map.of(
                AggregateTable.PK, AttributeValue.fromS(AggregateTable.pk("exp-q", IngestTarget.EXPERIMENT_SCOPE, Shards.of(SHARD))),
                AggregateTable.SK, AttributeValue.fromS(AggregateTable.metricSk("treatment", StreamFoldReviewTest.LATENCY))))).item();
        long counted = item.entrySet().stream().filter(a -> a.getKey().startsWith(AggregateTable.VALUE_BINS))
                .mapToLong(a -> Long.parseLong(a.getValue().n())).sum();
        long bins = item.keySet().stream().filter(a -> a.startsWith(AggregateTable.VALUE_BINS)).count();
        assertEquals(events, counted, "every value counted once in the sketch");
        assertTrue(bins > 3L * StreamFoldStore.MAX_BINS_PER_UPDATE, "the batch spans many updates' worth of bins: " + bins);
        assertEquals(0, sum.compareTo(new BigDecimal(item.get(AggregateTable.SUM).n())));
    }
}
