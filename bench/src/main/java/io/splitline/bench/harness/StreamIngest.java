package io.splitline.bench.harness;

import io.splitline.ingest.DynamoDbRawEventStore;
import io.splitline.ingest.DynamoDbStreamFoldStore;
import io.splitline.ingest.EventTable;
import io.splitline.ingest.IngestEvent;
import io.splitline.ingest.IngestTargets;
import io.splitline.ingest.RawEvent;
import io.splitline.ingest.StoredEvents;
import io.splitline.ingest.StreamAggregator;
import io.splitline.ingest.StreamRecord;
import io.splitline.ingest.UnitHistoryStore;
import io.splitline.store.TableNames;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Design B of docs/ingest-v2.md as the ingest cost bench drives it: each event stored once with a plain
 * conditional {@code PutItem} of the item {@code POST /events} stores ({@link DynamoDbRawEventStore#item}; a failed
 * condition is the {@code duplicates} answer), and the new items folded
 * by the real {@link StreamAggregator} over {@link DynamoDbStreamFoldStore}. The stream itself is played
 * here: a stored item becomes an INSERT record of the stream shard its unit hashes to (a unit's items share a
 * partition, so a shard, in order), with that shard's next sequence number — what DynamoDB Streams delivers,
 * minus its propagation delay. A fold of one shard runs on one thread at a time, as Lambda runs one batch per
 * shard ({@code ParallelizationFactor} 1); within a batch the fold keeps up to
 * {@link StreamAggregator#WRITES_IN_FLIGHT} writes of a phase in flight, as {@code AggregateFunction} does, or
 * fewer when asked.
 */
final class StreamIngest {
    private final DynamoDbClient client;
    private final String eventsTable;
    private final long expiresAt;
    private final List<Shard> shards = new ArrayList<>();
    private final StreamAggregator aggregator;

    StreamIngest(DynamoDbClient client, TableNames tables, IngestTargets targets, int streamShards, Instant now) {
        this(client, tables, targets, streamShards, now, StreamAggregator.WRITES_IN_FLIGHT);
    }

    /** As above, the fold keeping at most {@code writesInFlight} writes of a phase in flight (1: one after another). */
    StreamIngest(DynamoDbClient client, TableNames tables, IngestTargets targets, int streamShards, Instant now, int writesInFlight) {
        this.client = client;
        this.eventsTable = tables.events();
        this.expiresAt = now.plusSeconds(90L * 86_400).getEpochSecond();
        for (int i = 0; i < streamShards; i++) {
            shards.add(new Shard(String.format("shardId-00000001764600000000-%08d", i)));
        }
        this.aggregator = new StreamAggregator(new DynamoDbStreamFoldStore(client, tables), UnitHistoryStore.NONE, targets,
                datum -> { }, Clock.systemUTC(), writesInFlight);
    }

    /**
     * Stores each event with a conditional put and queues the new ones on their stream shard.
     *
     * @return how many were already stored (the {@code duplicates} answer)
     */
    int put(List<IngestEvent> events, Instant now) {
        int duplicates = 0;
        for (IngestEvent e : events) {
            Map<String, AttributeValue> item = DynamoDbRawEventStore.item(new RawEvent(e, e.attributes()), now, expiresAt);
            try {
                client.putItem(b -> b.tableName(eventsTable).item(item)
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", EventTable.PK)));
            } catch (ConditionalCheckFailedException stored) {
                duplicates++;
                continue;
            }
            stored(item);
        }
        return duplicates;
    }

    /**
     * Queues an item stored by someone else (the real handlers: {@link StoredItems}) on the stream shard of its unit,
     * as the INSERT record DynamoDB Streams delivers.
     */
    void stored(Map<String, AttributeValue> item) {
        IngestEvent event = StoredEvents.fromImage(item);
        Shard shard = shards.get(Math.floorMod(event.unitId().hashCode(), shards.size()));
        synchronized (shard) {
            shard.pending.add(new StreamRecord(BigInteger.valueOf(++shard.sequence), event));
        }
    }

    /**
     * Folds what is queued on every shard, in batches of at most {@code batchSize} records.
     *
     * @return the batches folded
     */
    int foldAll(int batchSize) {
        int batches = 0;
        for (int i = 0; i < shards.size(); i++) {
            batches += foldShard(i, batchSize);
        }
        return batches;
    }

    /** Folds what is queued on one shard, in batches of at most {@code batchSize}; call from one thread per shard. */
    int foldShard(int index, int batchSize) {
        Shard shard = shards.get(index);
        int batches = 0;
        while (true) {
            List<StreamRecord> batch;
            synchronized (shard) {
                if (shard.pending.isEmpty()) {
                    return batches;
                }
                List<StreamRecord> head = shard.pending.subList(0, Math.min(batchSize, shard.pending.size()));
                batch = List.copyOf(head);
                head.clear();
            }
            aggregator.apply(shard.id, batch);
            batches++;
        }
    }

    int shardCount() {
        return shards.size();
    }

    /** A stream shard: its id, its last sequence number and its records not yet folded, in order. */
    private static final class Shard {
        final String id;
        final List<StreamRecord> pending = new ArrayList<>();
        long sequence;

        Shard(String id) {
            this.id = id;
        }
    }
}
