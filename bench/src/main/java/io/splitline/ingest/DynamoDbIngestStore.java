package io.splitline.ingest;

import io.splitline.store.TableNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The {@link IngestStore} on DynamoDB (design A, the benchmarks' baseline): batched reads of unit items and
 * event keys, and the atomic commit of a {@link WriteSet} as one {@code TransactWriteItems}. Its unit items
 * and aggregate increments are the stream fold's ({@link UnitItems}, {@link AggregateUpdates}); its raw event
 * items are its own, keyed by {@link WriteSet#idempotencyKey} alone.
 */
public final class DynamoDbIngestStore implements IngestStore {
    /** The sort key of this store's raw event items: they are keyed by their idempotency key ({@code key#eventId}) in {@code pk}. */
    public static final String TRANSACTIONAL_SK = "-";

    private final DynamoDbClient dynamo;
    private final TableNames tables;
    private final Duration retention;

    /**
     * @param retention how long raw events (and so their idempotency) are kept before DynamoDB's TTL
     *                  deletes them
     */
    public DynamoDbIngestStore(DynamoDbClient dynamo, TableNames tables, Duration retention) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.retention = retention;
    }

    /** Stored state of these units (consistent reads); units without an item are absent. */
    @Override
    public Map<UnitRef, UnitState> loadUnits(Collection<UnitRef> refs) {
        Map<UnitRef, UnitState> states = new HashMap<>();
        UnitItems.read(dynamo, tables, refs).forEach((ref, item) -> states.put(ref, UnitItems.state(item)));
        return states;
    }

    /** Which of these idempotency keys ({@code key#eventId}) already have a stored event. */
    @Override
    public Set<String> existingEvents(Collection<String> idempotencyKeys) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String k : new HashSet<>(idempotencyKeys)) {
            keys.add(Map.of(EventTable.PK, AttributeValue.fromS(k), EventTable.SK, AttributeValue.fromS(TRANSACTIONAL_SK)));
        }
        Set<String> existing = new HashSet<>();
        for (Map<String, AttributeValue> item : BatchReads.consistent(dynamo, tables.events(), keys, EventTable.PK)) {
            existing.add(item.get(EventTable.PK).s());
        }
        return existing;
    }

    /**
     * Writes everything in the set atomically.
     *
     * @throws CommitConflictException when a condition failed, the transaction conflicted or was
     *                                 throttled; nothing was written
     */
    @Override
    public void commit(WriteSet set, Instant now) {
        List<TransactWriteItem> items = new ArrayList<>(set.size());
        List<Object> subjects = new ArrayList<>(set.size());
        long expiresAt = now.plus(retention).getEpochSecond();
        for (WriteSet.EventWrite e : set.events) {
            items.add(TransactWriteItem.builder().put(eventPut(e, now, expiresAt)).build());
            subjects.add(WriteSet.idempotencyKey(e.event()));
        }
        for (WriteSet.UnitWrite u : set.units.values()) {
            items.add(TransactWriteItem.builder().put(UnitItems.put(tables, u.ref(), u.state(), u.expectedVersion())).build());
            subjects.add(u.ref());
        }
        set.aggregates.forEach((item, delta) -> {
            items.add(TransactWriteItem.builder().update(AggregateUpdates.add(tables.aggregates(), item, delta)).build());
            subjects.add(item);
        });
        try {
            // The token makes an SDK-level retry of a transaction that did commit a no-op success.
            dynamo.transactWriteItems(b -> b.transactItems(items).clientRequestToken(UUID.randomUUID().toString()));
        } catch (TransactionCanceledException e) {
            Set<String> duplicates = new HashSet<>();
            Set<UnitRef> stale = new HashSet<>();
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            for (int i = 0; i < reasons.size(); i++) {
                if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                    Object subject = subjects.get(i);
                    if (subject instanceof String eventKey) {
                        duplicates.add(eventKey);
                    } else if (subject instanceof UnitRef ref) {
                        stale.add(ref);
                    }
                }
            }
            throw new CommitConflictException(duplicates, stale, e);
        } catch (AwsServiceException e) {
            if (!e.isThrottlingException()) {
                throw e;
            }
            // Throttled (after the SDK's own retries): nothing was written; back off and try again like a conflict.
            throw new CommitConflictException(Set.of(), Set.of(), e);
        }
    }

    private Put eventPut(WriteSet.EventWrite w, Instant now, long expiresAt) {
        IngestEvent e = w.event();
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(EventTable.PK, AttributeValue.fromS(WriteSet.idempotencyKey(e)));
        item.put(EventTable.SK, AttributeValue.fromS(TRANSACTIONAL_SK));
        item.put(EventTable.KEY, AttributeValue.fromS(e.key()));
        item.put(EventTable.EVENT_ID, AttributeValue.fromS(e.eventId()));
        item.put(EventTable.UNIT_ID, AttributeValue.fromS(e.unitId()));
        item.put(EventTable.TYPE, AttributeValue.fromS(e.type() == EventType.METRIC ? "metric" : "exposure"));
        if (e.metric() != null) {
            item.put(EventTable.METRIC, AttributeValue.fromS(e.metric()));
            item.put(EventTable.VALUE, AttributeValue.fromN(e.value().toPlainString()));
        }
        item.put(EventTable.TIMESTAMP, AttributeValue.fromS(e.timestamp().toString()));
        item.put(EventTable.RECEIVED_AT, AttributeValue.fromS(now.toString()));
        item.put(EventTable.VARIANT, AttributeValue.fromS(w.variant()));
        item.put(EventTable.SCOPE, AttributeValue.fromS(w.scope()));
        if (e.keyless()) {
            item.put(EventTable.KEYLESS, AttributeValue.fromBool(true));
        }
        item.put(EventTable.EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt)));
        return Put.builder().tableName(tables.events()).item(item)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", EventTable.PK))
                .build();
    }
}
