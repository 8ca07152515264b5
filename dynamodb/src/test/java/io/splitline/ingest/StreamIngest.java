package io.splitline.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.devkit.DynamoDbLocal;
import io.splitline.devkit.LocalTables;
import io.splitline.metrics.MetricSink;
import io.splitline.store.TableNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Design B end to end on DynamoDB Local, for the ingest tests: {@code POST /events}'s service storing raw
 * events ({@link RawEventIngest} on {@link DynamoDbRawEventStore}), and the events table's stream drained into
 * the {@link StreamAggregator} ({@link DynamoDbStreamDrain}), so a test can send, then wait until the fold
 * caught up, then read the aggregates.
 */
final class StreamIngest {
    /** Fixed-clock events are never past their expiry, whatever today's date (the test tables have TTL off as well). */
    static final Duration RETENTION = Duration.ofDays(365L * 100);

    private final RawEventIngest ingest;
    private final DynamoDbStreamDrain drain;
    private final Instant now;

    StreamIngest(LocalTables local, IngestTargets targets, MetricSink metrics, Clock clock) {
        this(local, local.client(), targets, metrics, clock);
    }

    /** Puts through {@code client} (which may inject faults); the fold writes through the plain client. */
    StreamIngest(LocalTables local, DynamoDbClient client, IngestTargets targets, MetricSink metrics, Clock clock) {
        this(local, client, new DynamoDbStreamFoldStore(local.client(), TableNames.fromLogicalIds(local.names())), targets, metrics, clock);
    }

    /** Puts through {@code client}, folds through {@code fold} (which may watch the writes). */
    StreamIngest(LocalTables local, DynamoDbClient client, StreamFoldStore fold, IngestTargets targets, MetricSink metrics, Clock clock) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        this.ingest = new RawEventIngest(new DynamoDbRawEventStore(client, tables, RETENTION, clock), targets);
        this.drain = new DynamoDbStreamDrain(local.client(), DynamoDbLocal.streamsClient(local.endpoint()), tables.events(),
                new StreamAggregator(fold, new DynamoDbUnitHistoryStore(local.client(), tables), targets, metrics, clock));
        this.now = clock.instant();
    }

    /** Stores a request's events, as {@code POST /events} does (the fold has not run yet). */
    IngestResult send(ObjectNode body) {
        return ingest.ingest(EventBatch.parse(body, now));
    }

    /** Folds everything stored so far; returns how many events were folded. */
    int drain() {
        return drain.drain();
    }

    /** Sends, then drains: the aggregates then include the request's events. */
    IngestResult sendAndDrain(ObjectNode body) {
        IngestResult result = send(body);
        drain();
        return result;
    }
}
