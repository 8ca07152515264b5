package io.splitline.bench.harness;

import io.splitline.aggregate.AggregateTable;
import io.splitline.ingest.DynamoDbIngestStore;
import io.splitline.ingest.EventTable;
import io.splitline.ingest.IngestTarget;
import io.splitline.stats.MetricAggregate;
import io.splitline.store.TableNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Loads the state that ingesting a stream of events leaves behind, without paying ingest's transactions:
 * every raw event item of {@code EventsTable}, attribute for attribute as {@code IngestStore} writes it
 * (written with {@code BatchWriteItem}, 25 items a request, on a few threads), and every aggregate item of
 * {@code AggregatesTable} with the sums that ingest's {@code ADD} increments reach ({@link GroundTruth},
 * overwritten in full after each load). {@code UnitsTable} is not written: neither the results read nor
 * the scan baseline reads it. {@code BulkLoaderTest} checks the two tables against a real ingest of the
 * same stream.
 */
final class BulkLoader implements AutoCloseable {
    private static final int BATCH_WRITE_LIMIT = 25;
    private static final int THREADS = 4;

    private final DynamoDbClient dynamo;
    private final TableNames tables;
    private final Instant receivedAt;
    private final long expiresAt;
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
        Thread t = new Thread(r, "bulk-loader");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param receivedAt when ingest would have received the events (its clock)
     * @param retention  the event retention ingest is configured with
     */
    BulkLoader(DynamoDbClient dynamo, TableNames tables, Instant receivedAt, Duration retention) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.receivedAt = receivedAt;
        this.expiresAt = receivedAt.plus(retention).getEpochSecond();
    }

    /**
     * Takes {@code count} more events from the stream, records them in {@code truth} and writes the raw
     * events of those that count; then rewrites the aggregates from {@code truth}.
     *
     * @return how many of the events count (all of them, for {@link Traffic}'s streams)
     */
    long load(Traffic traffic, long count, GroundTruth truth) {
        List<Future<?>> writes = new ArrayList<>();
        List<WriteRequest> chunk = new ArrayList<>(BATCH_WRITE_LIMIT);
        long counted = 0;
        for (long i = 0; i < count; i++) {
            Traffic.Event e = traffic.next();
            if (!truth.apply(e)) {
                continue;
            }
            counted++;
            chunk.add(put(eventItem(traffic.key(), e, truth.variantOf(e.unitId()).orElseThrow())));
            if (chunk.size() == BATCH_WRITE_LIMIT) {
                writes.add(submit(tables.events(), chunk));
                chunk = new ArrayList<>(BATCH_WRITE_LIMIT);
            }
            if (writes.size() >= 64) {
                await(writes);
            }
        }
        if (!chunk.isEmpty()) {
            writes.add(submit(tables.events(), chunk));
        }
        await(writes);
        writeAggregates(traffic.key(), truth);
        return counted;
    }

    private void writeAggregates(String key, GroundTruth truth) {
        List<Future<?>> writes = new ArrayList<>();
        List<WriteRequest> chunk = new ArrayList<>();
        for (Map.Entry<GroundTruth.Cell, MetricAggregate> entry : truth.cells().entrySet()) {
            chunk.add(put(aggregateItem(key, entry.getKey(), entry.getValue())));
            if (chunk.size() == BATCH_WRITE_LIMIT) {
                writes.add(submit(tables.aggregates(), chunk));
                chunk = new ArrayList<>();
            }
        }
        if (!chunk.isEmpty()) {
            writes.add(submit(tables.aggregates(), chunk));
        }
        await(writes);
    }

    /** The item {@code IngestStore} puts for an accepted event. */
    Map<String, AttributeValue> eventItem(String key, Traffic.Event e, String variant) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(EventTable.PK, AttributeValue.fromS(key + "#" + e.eventId()));
        item.put(EventTable.SK, AttributeValue.fromS(DynamoDbIngestStore.TRANSACTIONAL_SK));
        item.put(EventTable.KEY, AttributeValue.fromS(key));
        item.put(EventTable.EVENT_ID, AttributeValue.fromS(e.eventId()));
        item.put(EventTable.UNIT_ID, AttributeValue.fromS(e.unitId()));
        item.put(EventTable.TYPE, AttributeValue.fromS(e.isExposure() ? "exposure" : "metric"));
        if (!e.isExposure()) {
            item.put(EventTable.METRIC, AttributeValue.fromS(e.metric()));
            item.put(EventTable.VALUE, AttributeValue.fromN(e.value().toPlainString()));
        }
        item.put(EventTable.TIMESTAMP, AttributeValue.fromS(e.timestamp().toString()));
        item.put(EventTable.RECEIVED_AT, AttributeValue.fromS(receivedAt.toString()));
        item.put(EventTable.VARIANT, AttributeValue.fromS(variant));
        item.put(EventTable.SCOPE, AttributeValue.fromS(IngestTarget.EXPERIMENT_SCOPE));
        item.put(EventTable.EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt)));
        return item;
    }

    private static Map<String, AttributeValue> aggregateItem(String key, GroundTruth.Cell cell, MetricAggregate a) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(AggregateTable.PK, AttributeValue.fromS(AggregateTable.pk(key, IngestTarget.EXPERIMENT_SCOPE, cell.shard())));
        if (cell.metric() == null) {
            item.put(AggregateTable.SK, AttributeValue.fromS(AggregateTable.unitsSk(cell.variant())));
            item.put(AggregateTable.UNITS, AttributeValue.fromN(Long.toString(a.positiveUnits())));
        } else {
            item.put(AggregateTable.SK, AttributeValue.fromS(AggregateTable.metricSk(cell.variant(), cell.metric())));
            item.put(AggregateTable.POSITIVE, AttributeValue.fromN(Long.toString(a.positiveUnits())));
            item.put(AggregateTable.SUM, AttributeValue.fromN(a.sum().toPlainString()));
            item.put(AggregateTable.SUM_SQUARES, AttributeValue.fromN(a.sumSquares().toPlainString()));
        }
        return item;
    }

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    private Future<?> submit(String table, List<WriteRequest> requests) {
        return pool.submit(() -> {
            Map<String, List<WriteRequest>> pending = Map.of(table, requests);
            while (!pending.isEmpty()) {
                Map<String, List<WriteRequest>> send = pending;
                BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b.requestItems(send));
                pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            }
        });
    }

    private static void await(List<Future<?>> writes) {
        try {
            for (Future<?> f : writes) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("bulk write failed", e.getCause());
        }
        writes.clear();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
