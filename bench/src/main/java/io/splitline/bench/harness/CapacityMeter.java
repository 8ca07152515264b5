package io.splitline.bench.harness;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Asks DynamoDB for {@code ReturnConsumedCapacity = TOTAL} on every read and write ingest makes, and adds
 * up what it answers, together with transactions committed and cancelled and the cancellation reasons.
 * The code under measurement is unchanged; only the client adds the parameter.
 *
 * <p>DynamoDB Local 3.3.1 under-reports transactions: a {@code TransactWriteItems} of 10 small items
 * answers 2.0 capacity units, as one of 1 item does (checked by hand). So the meter also prices every
 * request by DynamoDB's documented rules ({@link #ruleWriteUnits()}, {@link #ruleReadUnits()}): a
 * transactional write costs 2 write units per item per started KB of the item, a plain write 1, a
 * strongly consistent read 1 read unit per item per started 4 KB. Put items are sized from their
 * attributes ({@link ItemSize}); an update counts its item as under 1 KB, which holds for the aggregate
 * items ingest updates (a key and at most four numbers).
 */
final class CapacityMeter implements ExecutionInterceptor {
    private final DoubleAdder writeUnits = new DoubleAdder();
    private final DoubleAdder readUnits = new DoubleAdder();
    private final DoubleAdder ruleWriteUnits = new DoubleAdder();
    private final DoubleAdder ruleReadUnits = new DoubleAdder();
    private final LongAdder committed = new LongAdder();
    private final LongAdder cancelled = new LongAdder();
    private final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest r = context.request();
        if (r instanceof TransactWriteItemsRequest t) {
            return t.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        } else if (r instanceof BatchGetItemRequest b) {
            return b.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        } else if (r instanceof BatchWriteItemRequest b) {
            return b.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        } else if (r instanceof PutItemRequest p) {
            return p.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        } else if (r instanceof UpdateItemRequest u) {
            return u.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        return r;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkResponse r = context.response();
        byRule(context.request(), r);
        if (r instanceof TransactWriteItemsResponse t) {
            committed.increment();
            t.consumedCapacity().forEach(c -> add(c, false));
        } else if (r instanceof BatchGetItemResponse b) {
            b.consumedCapacity().forEach(c -> add(c, true));
        } else if (r instanceof BatchWriteItemResponse b) {
            b.consumedCapacity().forEach(c -> add(c, false));
        } else if (r instanceof PutItemResponse p && p.consumedCapacity() != null) {
            add(p.consumedCapacity(), false);
        } else if (r instanceof UpdateItemResponse u && u.consumedCapacity() != null) {
            add(u.consumedCapacity(), false);
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (context.exception() instanceof TransactionCanceledException e) {
            cancelled.increment();
            if (e.hasCancellationReasons()) {
                e.cancellationReasons().stream().map(CancellationReason::code)
                        .filter(code -> code != null && !code.equals("None"))
                        .distinct()
                        .forEach(code -> reasons.computeIfAbsent(code, k -> new LongAdder()).increment());
            }
        }
    }

    private void add(ConsumedCapacity c, boolean readOperation) {
        // DynamoDB Local answers CapacityUnits only; DynamoDB splits it into read and write units.
        if (c.writeCapacityUnits() != null || c.readCapacityUnits() != null) {
            writeUnits.add(c.writeCapacityUnits() == null ? 0 : c.writeCapacityUnits());
            readUnits.add(c.readCapacityUnits() == null ? 0 : c.readCapacityUnits());
        } else if (c.capacityUnits() != null) {
            (readOperation ? readUnits : writeUnits).add(c.capacityUnits());
        }
    }

    private void byRule(SdkRequest request, SdkResponse response) {
        if (request instanceof TransactWriteItemsRequest t) {
            for (TransactWriteItem item : t.transactItems()) {
                ruleWriteUnits.add(2.0 * (item.put() != null ? ItemSize.kilobytes(item.put().item()) : 1));
            }
        } else if (request instanceof BatchWriteItemRequest b && response instanceof BatchWriteItemResponse done) {
            b.requestItems().forEach((table, writes) -> {
                List<WriteRequest> unprocessed = done.unprocessedItems().getOrDefault(table, List.of());
                writes.stream().filter(w -> !unprocessed.contains(w))
                        .forEach(w -> ruleWriteUnits.add(w.putRequest() != null ? ItemSize.kilobytes(w.putRequest().item()) : 1));
            });
        } else if (request instanceof PutItemRequest p) {
            ruleWriteUnits.add(ItemSize.kilobytes(p.item()));
        } else if (request instanceof UpdateItemRequest) {
            ruleWriteUnits.add(1);
        } else if (response instanceof BatchGetItemResponse b) {
            b.responses().values().forEach(items -> items.forEach(item -> ruleReadUnits.add(Math.ceil(ItemSize.bytes(item) / 4096.0))));
        }
    }

    /** Write units by DynamoDB's documented pricing rules (see the class comment). */
    double ruleWriteUnits() {
        return ruleWriteUnits.sum();
    }

    /** Read units by DynamoDB's documented pricing rules, for the items returned. */
    double ruleReadUnits() {
        return ruleReadUnits.sum();
    }

    double writeUnits() {
        return writeUnits.sum();
    }

    double readUnits() {
        return readUnits.sum();
    }

    long committed() {
        return committed.sum();
    }

    long cancelled() {
        return cancelled.sum();
    }

    /** Cancelled transactions by reason code (a transaction counts once per distinct code it carried). */
    Map<String, Long> reasons() {
        Map<String, Long> snapshot = new TreeMap<>();
        reasons.forEach((k, v) -> snapshot.put(k, v.sum()));
        return snapshot;
    }

    void reset() {
        writeUnits.reset();
        ruleWriteUnits.reset();
        ruleReadUnits.reset();
        readUnits.reset();
        committed.reset();
        cancelled.reset();
        reasons.clear();
    }
}
