package io.splitline.bench.harness;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Asks DynamoDB for {@code ReturnConsumedCapacity = TOTAL} on every request, and adds up what it answers and
 * what DynamoDB's documented pricing rules say the requests cost. The code under measurement is unchanged;
 * only the client adds the parameter. Used by the ingest cost bench ({@link IngestCostBench}: totals, and
 * transactions committed and cancelled with their reasons) and by the inputs of docs/cost.md
 * ({@link CostInputs}: requests and units by operation).
 *
 * <p>DynamoDB Local 3.3.1 under-reports transactions: a {@code TransactWriteItems} answers the same units
 * whatever its number of items (checked by hand). So the meter also prices every request by rule, two ways:
 * <ul>
 *   <li><b>by item size</b> ({@link #ruleWriteUnits()}, {@link #ruleReadUnits()}): a transactional write
 *       costs 2 write units per item per started KB of the item, a plain write 1, a strongly consistent
 *       read 1 read unit per item returned per started 4 KB. Put items are sized from their attributes
 *       ({@link ItemSize}); an update counts its item as under 1 KB, which holds for the aggregate items
 *       ingest updates (a key and a few numbers).</li>
 *   <li><b>per operation</b> ({@link #byOperation()}): a transactional write 2 units per action, a
 *       strongly consistent {@code BatchGetItem} 1 unit per key asked (found or not), every other request
 *       what DynamoDB Local reports (1 per 4 KB read, 1 per 1 KB written); items up to 1 KB, which
 *       {@link #largestPutBytes()} checks.</li>
 * </ul>
 * Only requests that succeed are counted by operation; a cancelled transaction counts in {@link #cancelled()}.
 */
final class CapacityMeter implements ExecutionInterceptor {
    private final DoubleAdder writeUnits = new DoubleAdder();
    private final DoubleAdder readUnits = new DoubleAdder();
    private final DoubleAdder ruleWriteUnits = new DoubleAdder();
    private final DoubleAdder ruleReadUnits = new DoubleAdder();
    private final LongAdder committed = new LongAdder();
    private final LongAdder cancelled = new LongAdder();
    private final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();
    private final Map<String, DoubleAdder[]> byOperation = new ConcurrentHashMap<>(); // {requests, reported units, units by rule}
    private final AtomicLong largestPut = new AtomicLong();
    private final LongAdder refusedConditions = new LongAdder();

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest r = context.request();
        ReturnConsumedCapacity total = ReturnConsumedCapacity.TOTAL;
        if (r instanceof QueryRequest q) {
            return q.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof GetItemRequest g) {
            return g.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof BatchGetItemRequest b) {
            return b.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof TransactWriteItemsRequest t) {
            return t.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof PutItemRequest p) {
            return p.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof UpdateItemRequest u) {
            return u.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof DeleteItemRequest d) {
            return d.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof BatchWriteItemRequest w) {
            return w.toBuilder().returnConsumedCapacity(total).build();
        }
        return r;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof TransactWriteItemsRequest t) {
            t.transactItems().forEach(item -> {
                if (item.put() != null) {
                    largestPut.accumulateAndGet(approximateBytes(item.put().item()), Math::max);
                }
            });
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkResponse r = context.response();
        bySize(context.request(), r);
        byOperation(context.request(), r);
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
        if (context.exception() instanceof ConditionalCheckFailedException) {
            refusedConditions.increment();
        }
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

    /** The totals DynamoDB reports for ingest's operations (transactions, batches, puts and updates). */
    private void add(ConsumedCapacity c, boolean readOperation) {
        // DynamoDB Local answers CapacityUnits only; DynamoDB splits it into read and write units.
        if (c.writeCapacityUnits() != null || c.readCapacityUnits() != null) {
            writeUnits.add(c.writeCapacityUnits() == null ? 0 : c.writeCapacityUnits());
            readUnits.add(c.readCapacityUnits() == null ? 0 : c.readCapacityUnits());
        } else if (c.capacityUnits() != null) {
            (readOperation ? readUnits : writeUnits).add(c.capacityUnits());
        }
    }

    private void bySize(SdkRequest request, SdkResponse response) {
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

    private void byOperation(SdkRequest request, SdkResponse response) {
        List<ConsumedCapacity> consumed;
        if (response instanceof QueryResponse q) {
            consumed = one(q.consumedCapacity());
        } else if (response instanceof GetItemResponse g) {
            consumed = one(g.consumedCapacity());
        } else if (response instanceof BatchGetItemResponse b) {
            consumed = b.consumedCapacity();
        } else if (response instanceof TransactWriteItemsResponse t) {
            consumed = t.consumedCapacity();
        } else if (response instanceof PutItemResponse p) {
            consumed = one(p.consumedCapacity());
        } else if (response instanceof UpdateItemResponse u) {
            consumed = one(u.consumedCapacity());
        } else if (response instanceof DeleteItemResponse d) {
            consumed = one(d.consumedCapacity());
        } else if (response instanceof BatchWriteItemResponse w) {
            consumed = w.consumedCapacity();
        } else {
            consumed = List.of();
        }
        double reported = 0;
        for (ConsumedCapacity c : consumed) {
            reported += c.capacityUnits() == null ? 0 : c.capacityUnits();
        }
        double byRule;
        if (request instanceof TransactWriteItemsRequest t) {
            byRule = 2.0 * t.transactItems().size();
        } else if (request instanceof BatchGetItemRequest b) {
            byRule = b.requestItems().values().stream().mapToInt(k -> k.keys().size()).sum();
        } else {
            byRule = reported; // single-item and Query units: DynamoDB Local's report (1 per 4 KB read, 1 per 1 KB written)
        }
        DoubleAdder[] totals = byOperation.computeIfAbsent(response.getClass().getSimpleName().replace("Response", ""),
                k -> new DoubleAdder[] {new DoubleAdder(), new DoubleAdder(), new DoubleAdder()});
        totals[0].add(1);
        totals[1].add(reported);
        totals[2].add(byRule);
    }

    private static List<ConsumedCapacity> one(ConsumedCapacity c) {
        return c == null ? List.of() : List.of(c);
    }

    /** Write units by DynamoDB's pricing rules, by item size (see the class comment). */
    double ruleWriteUnits() {
        return ruleWriteUnits.sum();
    }

    /** Read units by DynamoDB's pricing rules, by item size, for the items returned. */
    double ruleReadUnits() {
        return ruleReadUnits.sum();
    }

    /** Write units as DynamoDB reports them, for ingest's operations. */
    double writeUnits() {
        return writeUnits.sum();
    }

    /** Read units as DynamoDB reports them, for ingest's operations. */
    double readUnits() {
        return readUnits.sum();
    }

    /**
     * Single-item writes refused by their condition. DynamoDB bills them as if they had written (1 write unit per
     * started KB); they are not in {@link #byOperation()}, which counts requests that succeed.
     */
    long refusedConditions() {
        return refusedConditions.sum();
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

    /** Operation → {requests, units DynamoDB reported, units by rule per operation}, a sorted copy. */
    Map<String, double[]> byOperation() {
        Map<String, double[]> copy = new TreeMap<>();
        byOperation.forEach((op, v) -> copy.put(op, new double[] {v[0].sum(), v[1].sum(), v[2].sum()}));
        return copy;
    }

    /** The largest item a transaction put, in bytes by {@link #approximateBytes}. */
    long largestPutBytes() {
        return largestPut.get();
    }

    /**
     * Names plus values, a number as half its digits plus one: the sizing docs/cost.md's "largest item put" was
     * measured with, kept so that CostInputs prints the same figure. ({@link ItemSize}, which prices by size,
     * counts a number's significant digits instead and finds 1 byte more on ingest's largest item.)
     */
    private static long approximateBytes(Map<String, AttributeValue> item) {
        long bytes = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            AttributeValue v = e.getValue();
            bytes += e.getKey().length() + (v.s() != null ? v.s().length() : v.n() != null ? v.n().length() / 2 + 1 : 8);
        }
        return bytes;
    }

    void reset() {
        writeUnits.reset();
        ruleWriteUnits.reset();
        ruleReadUnits.reset();
        readUnits.reset();
        committed.reset();
        cancelled.reset();
        reasons.clear();
        byOperation.clear();
        refusedConditions.reset();
    }
}
