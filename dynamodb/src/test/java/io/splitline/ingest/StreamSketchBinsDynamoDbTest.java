package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.splitline.aggregate.AggregateTable;
import io.splitline.aggregate.Shards;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.store.TableNames;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Review finding 2: one stream batch folds every event of a (variant, metric) of its shard into one aggregate
 * update, so a quantile metric with many distinct values puts one sketch counter per distinct bin into a single
 * UpdateExpression — past DynamoDB's 4 KB expression limit, a batch that can never succeed however often it is
 * retried. The transactional ingest bounds counters per update ({@link WriteSet#MAX_BINS_PER_UPDATE}); the fold
 * must too.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class StreamSketchBinsDynamoDbTest {
    static final String SHARD = StreamAggregatorTest.SHARDS.get(0);
    static final String LATENCY = "latency";

    @Test
    void aBatchWithHundredsOfDistinctBinsOnOneItem_isFoldedExactly(LocalTables local) {
        String unit = StreamAggregatorTest.unitIn("treatment", 0);
        IngestTarget quantiles = new IngestTarget("exp-q", IngestTarget.EXPERIMENT_SCOPE, true, StreamAggregatorTest::armOf,
                Set.of(), DerivedSums.NONE, Set.of(LATENCY), Set.of());
        IngestTargets targets = new IngestTargets() {
            @Override
            public Optional<IngestTarget> find(String key) {
                return Optional.of(quantiles);
            }

            @Override
            public List<IngestTarget> active() {
                return List.of(quantiles);
            }
        };
        BigInteger s = StreamAggregatorTest.FIRST_SEQUENCE;
        List<StreamRecord> batch = new ArrayList<>();
        batch.add(new StreamRecord(s, StreamAggregatorTest.exposure("x", "exp-q", unit, StreamAggregatorTest.T0, Map.of())));
        int events = 400;
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < events; i++) {
            BigDecimal value = BigDecimal.valueOf(1.03).pow(i).setScale(6, RoundingMode.HALF_UP); // a bin each
            sum = sum.add(value);
            batch.add(new StreamRecord(s.add(BigInteger.valueOf(i + 1)),
                    StreamAggregatorTest.metric("l" + i, "exp-q", unit, LATENCY, value, StreamAggregatorTest.T0)));
        }
        TableNames tables = TableNames.fromLogicalIds(local.names());
        StreamAggregator aggregator = new StreamAggregator(new DynamoDbStreamFoldStore(local.client(), tables), targets);

        aggregator.apply(SHARD, batch);
        aggregator.apply(SHARD, batch); // delivered again: nothing moves twice

        Map<String, AttributeValue> item = local.client().getItem(b -> b.tableName(tables.aggregates()).key(Map.of(
                AggregateTable.PK, AttributeValue.fromS(AggregateTable.pk("exp-q", IngestTarget.EXPERIMENT_SCOPE, Shards.of(SHARD))),
                AggregateTable.SK, AttributeValue.fromS(AggregateTable.metricSk("treatment", LATENCY))))).item();
        long counted = item.entrySet().stream().filter(a -> a.getKey().startsWith(AggregateTable.VALUE_BINS))
                .mapToLong(a -> Long.parseLong(a.getValue().n())).sum();
        long bins = item.keySet().stream().filter(a -> a.startsWith(AggregateTable.VALUE_BINS)).count();
        assertEquals(events, counted, "every value counted once in the sketch");
        assertEquals(true, bins > 3L * WriteSet.MAX_BINS_PER_UPDATE, "the batch spans many updates' worth of bins: " + bins);
        assertEquals(0, sum.compareTo(new BigDecimal(item.get(AggregateTable.SUM).n())));
    }
}
