package io.splitline.ingest;

import io.splitline.store.TableNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The {@link RawEventStore} on DynamoDB: one {@code PutItem} per event with {@code attribute_not_exists(pk)},
 * at most {@value #PARALLEL_PUTS} + 1 in flight per container (a batch of 500 is ~30 rounds of one put's latency).
 * A failed condition is a duplicate; a put still throttled after the SDK's own retries is reported
 * unprocessed. Raw items expire (TTL) after the retention, and so does their idempotency.
 */
public final class DynamoDbRawEventStore implements RawEventStore {
    /** Puts in flight at once: bounds the connections and threads a batch costs. */
    static final int PARALLEL_PUTS = 16;
    private static final ExecutorService PUTS = Executors.newFixedThreadPool(PARALLEL_PUTS, r -> {
        Thread t = new Thread(r, "raw-event-put");
        t.setDaemon(true);
        return t;
    });

    private final DynamoDbClient dynamo;
    private final TableNames tables;
    private final Duration retention;
    private final Clock clock;

    public DynamoDbRawEventStore(DynamoDbClient dynamo, TableNames tables, Duration retention, Clock clock) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public List<Outcome> putNew(List<RawEvent> events) {
        Instant now = clock.instant();
        List<CompletableFuture<Outcome>> futures = new ArrayList<>(events.size());
        for (RawEvent e : events.subList(1, events.size())) {
            futures.add(CompletableFuture.supplyAsync(() -> put(e, now), PUTS));
        }
        // The calling thread puts the first event itself: one thread fewer, and a single event (most /assign
        // calls) needs no hand-off (the IAM check also attributes calls by the calling thread's stack).
        CompletableFuture<Outcome> first;
        try {
            first = CompletableFuture.completedFuture(put(events.get(0), now));
        } catch (RuntimeException e) {
            first = CompletableFuture.failedFuture(e);
        }
        futures.add(0, first);
        List<Outcome> outcomes = new ArrayList<>(events.size());
        RuntimeException failure = null;
        for (CompletableFuture<Outcome> f : futures) { // every put ends before the request answers
            try {
                outcomes.add(f.join());
            } catch (CompletionException e) {
                failure = failure != null ? failure : e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        if (failure != null) {
            throw failure; // not throttling: the request fails as it is (500), and the batch is re-sendable
        }
        return outcomes;
    }

    private Outcome put(RawEvent e, Instant now) {
        try {
            dynamo.putItem(b -> b.tableName(tables.events()).item(item(e, now, now.plus(retention).getEpochSecond()))
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", EventTable.PK)));
            return Outcome.STORED;
        } catch (ConditionalCheckFailedException duplicate) {
            return Outcome.DUPLICATE;
        } catch (AwsServiceException ex) {
            if (ex.isThrottlingException()) {
                return Outcome.UNPROCESSED;
            }
            throw ex;
        }
    }

    /** The raw item of an event, as {@link StoredEvents} reads it back from the stream. */
    public static Map<String, AttributeValue> item(RawEvent raw, Instant now, long expiresAt) {
        IngestEvent e = raw.event();
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(EventTable.PK, AttributeValue.fromS(e.unitId()));
        item.put(EventTable.SK, AttributeValue.fromS(raw.sortKey()));
        if (!e.keyless()) {
            item.put(EventTable.KEY, AttributeValue.fromS(e.key()));
        }
        item.put(EventTable.EVENT_ID, AttributeValue.fromS(e.eventId()));
        item.put(EventTable.UNIT_ID, AttributeValue.fromS(e.unitId()));
        item.put(EventTable.TYPE, AttributeValue.fromS(e.type() == EventType.METRIC ? "metric" : "exposure"));
        if (e.metric() != null) {
            item.put(EventTable.METRIC, AttributeValue.fromS(e.metric()));
            item.put(EventTable.VALUE, AttributeValue.fromN(e.value().toPlainString()));
        }
        item.put(EventTable.TIMESTAMP, AttributeValue.fromS(e.timestamp().toString()));
        item.put(EventTable.RECEIVED_AT, AttributeValue.fromS(now.toString()));
        if (!e.covariates().isEmpty()) {
            Map<String, AttributeValue> covariates = new HashMap<>();
            e.covariates().forEach((m, x) -> covariates.put(m, AttributeValue.fromN(x.toPlainString())));
            item.put(EventTable.COVARIATES, AttributeValue.fromM(covariates));
        }
        if (!raw.attributes().isEmpty()) {
            Map<String, AttributeValue> attributes = new HashMap<>();
            raw.attributes().forEach((name, value) -> attributes.put(name, AttributeValue.fromS(value)));
            item.put(EventTable.ATTRIBUTES, AttributeValue.fromM(attributes));
        }
        item.put(EventTable.EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt)));
        return item;
    }
}
