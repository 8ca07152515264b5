package io.splitline.ingest;

import io.splitline.metrics.MetricSink;
import io.splitline.store.TableNames;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The events table's stream read with the DynamoDB Streams API and fed to the {@link StreamAggregator}, for
 * the local stack and the tests (in AWS, Lambda's event-source mapping does this): each shard's INSERTs in
 * order, in batches of at most {@value #BATCH} records, from where the previous drain stopped. Shards are
 * taken in the order {@code DescribeStream} lists them (parents before their children). Not thread-safe
 * across instances: one drain per stream at a time, like the mapping's one batch in flight per shard.
 */
public final class DynamoDbStreamDrain {
    /** Records per fold, as the event-source mapping's batch size. */
    static final int BATCH = 1_000;
    /** Pages read per shard per drain: bounds a drain whatever the stream holds. */
    private static final int MAX_PAGES = 10_000;

    private final DynamoDbClient dynamo;
    private final DynamoDbStreamsClient streams;
    private final String table;
    private final StreamAggregator aggregator;
    /** Per shard: the last record read (any kind), where the next drain resumes. */
    private final Map<String, String> readThrough = new HashMap<>();

    public DynamoDbStreamDrain(DynamoDbClient dynamo, DynamoDbStreamsClient streams, String eventsTable,
                               StreamAggregator aggregator) {
        this.dynamo = dynamo;
        this.streams = streams;
        this.table = eventsTable;
        this.aggregator = aggregator;
    }

    /** The drain of the events table's stream into a {@link StreamAggregator} on these tables. */
    public static DynamoDbStreamDrain of(DynamoDbClient dynamo, DynamoDbStreamsClient streams, TableNames tables,
                                         IngestTargets targets, MetricSink metrics, Clock clock) {
        return new DynamoDbStreamDrain(dynamo, streams, tables.events(),
                new StreamAggregator(new DynamoDbStreamFoldStore(dynamo, tables, clock), new DynamoDbUnitHistoryStore(dynamo, tables),
                        targets, metrics, clock));
    }

    /** Folds every record stored since the last drain; returns how many INSERTs were folded. */
    public synchronized int drain() {
        String arn = dynamo.describeTable(b -> b.tableName(table)).table().latestStreamArn();
        int folded = 0;
        for (Shard shard : streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards()) {
            folded += drainShard(arn, shard.shardId());
        }
        return folded;
    }

    private int drainShard(String arn, String shardId) {
        String after = readThrough.get(shardId);
        GetShardIteratorRequest.Builder request = GetShardIteratorRequest.builder().streamArn(arn).shardId(shardId);
        request = after == null ? request.shardIteratorType(ShardIteratorType.TRIM_HORIZON)
                : request.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(after);
        String iterator = streams.getShardIterator(request.build()).shardIterator();
        List<StreamRecord> batch = new ArrayList<>();
        int folded = 0;
        for (int page = 0; iterator != null && page < MAX_PAGES; page++) {
            String current = iterator;
            GetRecordsResponse response = streams.getRecords(b -> b.shardIterator(current));
            for (Record r : response.records()) {
                if (r.eventName() == OperationType.INSERT) {
                    batch.add(new StreamRecord(new BigInteger(r.dynamodb().sequenceNumber()), StoredEvents.fromImage(r.dynamodb().newImage())));
                }
                after = r.dynamodb().sequenceNumber();
                if (batch.size() == BATCH) {
                    folded += fold(shardId, batch, after);
                }
            }
            iterator = response.records().isEmpty() ? null : response.nextShardIterator(); // empty: caught up
        }
        folded += fold(shardId, batch, after);
        return folded;
    }

    private int fold(String shardId, List<StreamRecord> batch, String through) {
        int n = batch.size();
        aggregator.apply(shardId, List.copyOf(batch));
        batch.clear();
        if (through != null) {
            readThrough.put(shardId, through);
        }
        return n;
    }
}
