package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.stats.CovariateSums;
import io.splitline.stats.MetricAggregate;
import io.splitline.store.TableNames;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The stream fold on DynamoDB Local: {@link DynamoDbStreamFoldStore}'s conditional writes under crashes,
 * retried and bisected batches, and the events table's real stream read back with the DynamoDB Streams API.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class StreamAggregatorDynamoDbTest {

    /** Every stored aggregate equals the ground truth of {@link StreamAggregatorTest}, exactly. */
    static void assertGroundTruth(Map<String, AggregateDelta> truth, DynamoDbAggregateReader reader) {
        for (String key : List.of("exp-a", "exp-b", "exp-off")) {
            Map<String, VariantAggregates> stored = reader.read(key, IngestTarget.EXPERIMENT_SCOPE);
            for (String variant : List.of("control", "treatment")) {
                VariantAggregates got = stored.getOrDefault(variant, VariantAggregates.empty(variant));
                AggregateDelta units = truth.getOrDefault(key + "/" + variant, AggregateDelta.ZERO);
                assertEquals(units.units(), got.units(), key + "/" + variant + " units");
                for (String metric : StreamAggregatorTest.METRICS) {
                    AggregateDelta want = truth.getOrDefault(key + "/" + variant + "#" + metric, AggregateDelta.ZERO);
                    MetricAggregate m = got.metric(metric);
                    String where = key + "/" + variant + "/" + metric;
                    assertEquals(want.positive(), m.positiveUnits(), where + " positive");
                    assertEquals(0, want.sum().compareTo(m.sum()), where + " sum: want " + want.sum() + " got " + m.sum());
                    assertEquals(0, want.sumSquares().compareTo(m.sumSquares()), where + " sumSq");
                    CovariateSums c = got.covariates().get(metric);
                    BigDecimal cross = c == null ? BigDecimal.ZERO : c.sumXY();
                    BigDecimal sumX = c == null ? BigDecimal.ZERO : c.sumX();
                    assertEquals(0, want.covariateSum().compareTo(sumX), where + " covSum");
                    assertEquals(0, want.crossProducts().compareTo(cross), where + " covCross");
                }
            }
        }
    }

    @Test
    void crashesWithRetriedAndBisectedBatches_onDynamoDb_giveTheGroundTruth(LocalTables local) {
        StreamAggregatorTest.Stream stream = StreamAggregatorTest.generate(21, 40);
        TableNames tables = TableNames.fromLogicalIds(local.names());
        StreamAggregatorTest.Delivery delivery = new StreamAggregatorTest.Delivery(
                new DynamoDbStreamFoldStore(local.client(), tables), 22, 0.8);
        delivery.run(stream, 30);

        assertTrue(delivery.crashes > 5 && delivery.bisections > 1, delivery.crashes + " crashes, " + delivery.bisections + " bisections");
        assertGroundTruth(StreamAggregatorTest.groundTruth(stream), new DynamoDbAggregateReader(local.client(), tables.aggregates()));
    }

    /** A raw event item as design B stores it ({@link DynamoDbRawEventStore}). */
    static Map<String, AttributeValue> rawItem(IngestEvent e) {
        return DynamoDbRawEventStore.item(new RawEvent(e, Map.of()), e.timestamp(), Long.MAX_VALUE / 2);
    }

    @Test
    void theEventsTablesStream_readBackAndFoldedTwice_givesTheGroundTruthOnce(LocalTables local) {
        StreamAggregatorTest.Stream generated = StreamAggregatorTest.generate(23, 40);
        TableNames tables = TableNames.fromLogicalIds(local.names());
        for (StreamRecord r : generated.all()) {
            local.client().putItem(b -> b.tableName(tables.events()).item(rawItem(r.event())));
        }
        int refused = 0;
        for (StreamRecord r : generated.all()) { // a client's re-send, as a conditional put: it writes nothing
            try {
                local.client().putItem(b -> b.tableName(tables.events()).item(rawItem(r.event()))
                        .conditionExpression("attribute_not_exists(pk)"));
            } catch (ConditionalCheckFailedException duplicate) {
                refused++;
            }
        }
        Map<String, List<StreamRecord>> stream = readStream(local, tables.events());
        StreamAggregator aggregator = new StreamAggregator(new DynamoDbStreamFoldStore(local.client(), tables), StreamAggregatorTest.TARGETS);
        for (int delivery = 0; delivery < 2; delivery++) { // the second time as Lambda re-delivers after a timeout
            stream.forEach((shard, records) -> {
                for (int from = 0; from < records.size(); from += 50) {
                    aggregator.apply(shard, records.subList(from, Math.min(records.size(), from + 50)));
                }
            });
        }

        assertEquals(generated.all().size(), refused);
        assertEquals(generated.all().size(), stream.values().stream().mapToInt(List::size).sum(), "one INSERT per stored event");
        assertGroundTruth(StreamAggregatorTest.groundTruth(generated), new DynamoDbAggregateReader(local.client(), tables.aggregates()));
    }

    /** Every INSERT of the table's stream so far, by shard, in order, through the DynamoDB Streams API. */
    static Map<String, List<StreamRecord>> readStream(LocalTables local, String table) {
        try (DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder().endpointOverride(local.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build()) {
            String arn = local.client().describeTable(b -> b.tableName(table)).table().latestStreamArn();
            Map<String, List<StreamRecord>> byShard = new LinkedHashMap<>();
            for (Shard shard : streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards()) {
                List<StreamRecord> records = new ArrayList<>();
                String iterator = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                while (iterator != null) {
                    String current = iterator;
                    GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(current));
                    for (Record r : page.records()) {
                        if (r.eventName() == OperationType.INSERT) {
                            records.add(new StreamRecord(new BigInteger(r.dynamodb().sequenceNumber()),
                                    StoredEvents.fromImage(r.dynamodb().newImage())));
                        }
                    }
                    iterator = page.records().isEmpty() ? null : page.nextShardIterator();
                }
                byShard.put(shard.shardId(), records);
            }
            return byShard;
        }
    }
}
