package io.splitline.ingest;

import io.splitline.aggregate.AggregateTable;
import io.splitline.aggregate.SegmentTable;
import io.splitline.store.TableNames;
import java.math.BigDecimal;
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
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The {@link IngestStore} on DynamoDB: batched reads of unit items and event keys, and the
 * atomic commit of a {@link WriteSet} as one {@code TransactWriteItems}.
 */
public final class DynamoDbIngestStore implements IngestStore {
    private static final int BATCH_GET_LIMIT = 100;

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
        unitItems(refs).forEach((ref, item) -> states.put(ref, unitState(item)));
        return states;
    }

    /** The stored items of these units (consistent reads); units without an item are absent. */
    Map<UnitRef, Map<String, AttributeValue>> unitItems(Collection<UnitRef> refs) {
        Map<String, UnitRef> byKey = new HashMap<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (UnitRef ref : refs) {
            if (byKey.put(ref.pk() + "\u0000" + ref.scope(), ref) == null) {
                keys.add(Map.of(UnitTable.PK, AttributeValue.fromS(ref.pk()), UnitTable.SK, AttributeValue.fromS(ref.scope())));
            }
        }
        Map<UnitRef, Map<String, AttributeValue>> items = new HashMap<>();
        for (Map<String, AttributeValue> item : batchGet(tables.units(), keys, null)) {
            items.put(byKey.get(item.get(UnitTable.PK).s() + "\u0000" + item.get(UnitTable.SK).s()), item);
        }
        return items;
    }

    /** Which of these idempotency keys ({@code key#eventId}) already have a stored event. */
    @Override
    public Set<String> existingEvents(Collection<String> idempotencyKeys) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String k : new HashSet<>(idempotencyKeys)) {
            keys.add(Map.of(EventTable.PK, AttributeValue.fromS(k), EventTable.SK, AttributeValue.fromS(EventTable.TRANSACTIONAL_SK)));
        }
        Set<String> existing = new HashSet<>();
        for (Map<String, AttributeValue> item : batchGet(tables.events(), keys, EventTable.PK)) {
            existing.add(item.get(EventTable.PK).s());
        }
        return existing;
    }

    List<Map<String, AttributeValue>> batchGet(String table, List<Map<String, AttributeValue>> keys,
                                                       String projection) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += BATCH_GET_LIMIT) {
            KeysAndAttributes.Builder request = KeysAndAttributes.builder()
                    .keys(keys.subList(from, Math.min(keys.size(), from + BATCH_GET_LIMIT)))
                    .consistentRead(true);
            if (projection != null) {
                request.projectionExpression("#p").expressionAttributeNames(Map.of("#p", projection));
            }
            Map<String, KeysAndAttributes> pending = Map.of(table, request.build());
            int rounds = 0;
            while (!pending.isEmpty()) {
                if (rounds++ > 0) {
                    Backoff.pause(rounds);
                }
                Map<String, KeysAndAttributes> requested = pending;
                BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(requested));
                items.addAll(response.responses().getOrDefault(table, List.of()));
                pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        return items;
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
            subjects.add(e.event().idempotencyKey());
        }
        for (WriteSet.UnitWrite u : set.units.values()) {
            items.add(TransactWriteItem.builder().put(unitPut(u)).build());
            subjects.add(u.ref());
        }
        set.aggregates.forEach((item, delta) -> {
            items.add(TransactWriteItem.builder().update(aggregateUpdate(item, delta)).build());
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
        item.put(EventTable.PK, AttributeValue.fromS(e.idempotencyKey()));
        item.put(EventTable.SK, AttributeValue.fromS(EventTable.TRANSACTIONAL_SK));
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

    Put unitPut(WriteSet.UnitWrite w) {
        UnitState s = w.state();
        Map<String, AttributeValue> totals = new HashMap<>();
        s.totals().forEach((metric, total) -> totals.put(metric, AttributeValue.fromN(total.toPlainString())));
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(UnitTable.PK, AttributeValue.fromS(w.ref().pk()));
        item.put(UnitTable.SK, AttributeValue.fromS(w.ref().scope()));
        item.put(UnitTable.VARIANT, AttributeValue.fromS(s.variant()));
        item.put(UnitTable.EXPOSED_AT, AttributeValue.fromS(s.exposedAt()));
        item.put(UnitTable.TOTALS, AttributeValue.fromM(totals));
        if (!s.covariates().isEmpty()) {
            Map<String, AttributeValue> covariates = new HashMap<>();
            s.covariates().forEach((metric, x) -> covariates.put(metric, AttributeValue.fromN(x.toPlainString())));
            item.put(UnitTable.COVARIATES, AttributeValue.fromM(covariates));
        }
        item.put(UnitTable.VERSION, AttributeValue.fromN(Long.toString(s.version())));
        Put.Builder put = Put.builder().tableName(tables.units()).item(item);
        if (w.expectedVersion() == 0) {
            put.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", UnitTable.PK));
        } else {
            put.conditionExpression("#ver = :expected")
                    .expressionAttributeNames(Map.of("#ver", UnitTable.VERSION))
                    .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN(Long.toString(w.expectedVersion()))));
        }
        return put.build();
    }

    Update aggregateUpdate(WriteSet.AggregateItem item, AggregateDelta d) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> adds = new ArrayList<>();
        if (SegmentTable.variantSk(item.pk(), item.sk()).indexOf('#') < 0) { // a units item, or a segment's
            add(adds, names, values, "u", AggregateTable.UNITS, BigDecimal.valueOf(d.units()));
        } else {
            add(adds, names, values, "p", AggregateTable.POSITIVE, BigDecimal.valueOf(d.positive()));
            add(adds, names, values, "s", AggregateTable.SUM, d.sum());
            add(adds, names, values, "q", AggregateTable.SUM_SQUARES, d.sumSquares());
            if (d.covariateSum().signum() != 0 || d.covariateSquares().signum() != 0 || d.crossProducts().signum() != 0) {
                add(adds, names, values, "cs", AggregateTable.COVARIATE_SUM, d.covariateSum());
                add(adds, names, values, "cq", AggregateTable.COVARIATE_SUM_SQUARES, d.covariateSquares());
                add(adds, names, values, "cx", AggregateTable.CROSS_PRODUCTS, d.crossProducts());
            }
            addDerived(adds, names, values, d.derived());
            int bin = 0;
            for (Map.Entry<String, Long> counter : d.bins().entrySet()) { // at most WriteSet.MAX_BINS_PER_UPDATE
                add(adds, names, values, "b" + bin++, counter.getKey(), BigDecimal.valueOf(counter.getValue()));
            }
        }
        return Update.builder().tableName(tables.aggregates())
                .key(Map.of(AggregateTable.PK, AttributeValue.fromS(item.pk()), AggregateTable.SK, AttributeValue.fromS(item.sk())))
                .updateExpression("ADD " + String.join(", ", adds))
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    /** A capped metric's sums, and each ratio's Σab part, even when 0: their presence says they are kept. */
    private static void addDerived(List<String> adds, Map<String, String> names, Map<String, AttributeValue> values,
                                   DerivedDelta d) {
        if (d.capped() != null) {
            add(adds, names, values, "ks", AggregateTable.CAPPED_SUM, d.capped().sum());
            add(adds, names, values, "kq", AggregateTable.CAPPED_SUM_SQUARES, d.capped().sumSquares());
            add(adds, names, values, "kn", AggregateTable.CAPPED_UNITS, BigDecimal.valueOf(d.capped().units()));
        }
        int i = 0;
        for (Map.Entry<String, BigDecimal> ratio : new TreeMap<>(d.ratioProducts()).entrySet()) {
            add(adds, names, values, "ab" + i++, AggregateTable.RATIO_PRODUCTS_PREFIX + ratio.getKey(), ratio.getValue());
        }
    }

    private static void add(List<String> adds, Map<String, String> names, Map<String, AttributeValue> values,
                            String alias, String attribute, BigDecimal delta) {
        names.put("#" + alias, attribute);
        values.put(":" + alias, AttributeValue.fromN(delta.toPlainString()));
        adds.add("#" + alias + " :" + alias);
    }

    static UnitState unitState(Map<String, AttributeValue> item) {
        Map<String, BigDecimal> totals = new HashMap<>();
        AttributeValue stored = item.get(UnitTable.TOTALS);
        if (stored != null && stored.hasM()) {
            stored.m().forEach((metric, total) -> totals.put(metric, new BigDecimal(total.n())));
        }
        Map<String, BigDecimal> covariates = new HashMap<>();
        AttributeValue storedCovariates = item.get(UnitTable.COVARIATES);
        if (storedCovariates != null && storedCovariates.hasM()) {
            storedCovariates.m().forEach((metric, x) -> covariates.put(metric, new BigDecimal(x.n())));
        }
        return new UnitState(item.get(UnitTable.VARIANT).s(), item.get(UnitTable.EXPOSED_AT).s(),
                Long.parseLong(item.get(UnitTable.VERSION).n()), totals, covariates);
    }
}
