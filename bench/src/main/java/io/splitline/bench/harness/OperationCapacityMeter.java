package io.splitline.bench.harness;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
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
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Asks DynamoDB for the capacity every request consumes ({@code ReturnConsumedCapacity: TOTAL}) and sums it
 * by operation, with the number of requests: the read and write request units that on-demand mode bills.
 * Beside what DynamoDB reports, it counts the units by DynamoDB's published rule from the request itself,
 * because DynamoDB Local 3.3.1 reports 6 units for every {@code TransactWriteItems}, whatever its number of
 * actions: a transactional write costs 2 units per action (item up to 1 KB), a strongly consistent
 * {@code BatchGetItem} 1 unit per key (up to 4 KB, found or not), and the largest item put is tracked to show
 * that 1 KB holds. A request that fails (a cancelled transaction) is counted but reports no capacity; none
 * fail in the flows measured with it.
 */
final class OperationCapacityMeter implements ExecutionInterceptor {
    private final Map<String, double[]> byOperation = new TreeMap<>(); // {requests, reported units, units by rule}
    private long largestPut;

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
    public synchronized void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof TransactWriteItemsRequest t) {
            t.transactItems().forEach(item -> {
                if (item.put() != null) {
                    largestPut = Math.max(largestPut, size(item.put().item()));
                }
            });
        }
    }

    @Override
    public synchronized void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkResponse r = context.response();
        List<ConsumedCapacity> consumed;
        if (r instanceof QueryResponse q) {
            consumed = one(q.consumedCapacity());
        } else if (r instanceof GetItemResponse g) {
            consumed = one(g.consumedCapacity());
        } else if (r instanceof BatchGetItemResponse b) {
            consumed = b.consumedCapacity();
        } else if (r instanceof TransactWriteItemsResponse t) {
            consumed = t.consumedCapacity();
        } else if (r instanceof PutItemResponse p) {
            consumed = one(p.consumedCapacity());
        } else if (r instanceof UpdateItemResponse u) {
            consumed = one(u.consumedCapacity());
        } else if (r instanceof DeleteItemResponse d) {
            consumed = one(d.consumedCapacity());
        } else if (r instanceof BatchWriteItemResponse w) {
            consumed = w.consumedCapacity();
        } else {
            consumed = List.of();
        }
        double[] totals = byOperation.computeIfAbsent(r.getClass().getSimpleName().replace("Response", ""), k -> new double[3]);
        totals[0]++;
        double reported = 0;
        for (ConsumedCapacity c : consumed) {
            reported += c.capacityUnits() == null ? 0 : c.capacityUnits();
        }
        totals[1] += reported;
        SdkRequest request = context.request();
        if (request instanceof TransactWriteItemsRequest t) {
            totals[2] += 2.0 * t.transactItems().size();
        } else if (request instanceof BatchGetItemRequest b) {
            totals[2] += b.requestItems().values().stream().mapToInt(k -> k.keys().size()).sum();
        } else {
            totals[2] += reported; // single-item and Query units: DynamoDB Local's report (1 per 4 KB read, 1 per 1 KB written)
        }
    }

    /** The largest item a transaction put, in bytes by DynamoDB's sizing (names + values, approximately). */
    synchronized long largestPutBytes() {
        return largestPut;
    }

    private static long size(Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item) {
        long bytes = 0;
        for (var e : item.entrySet()) {
            var v = e.getValue();
            bytes += e.getKey().length() + (v.s() != null ? v.s().length() : v.n() != null ? v.n().length() / 2 + 1 : 8);
        }
        return bytes;
    }

    synchronized void reset() {
        byOperation.clear();
    }

    /** Operation → {requests, units DynamoDB reported, units by the published rule}, a copy. */
    synchronized Map<String, double[]> snapshot() {
        Map<String, double[]> copy = new TreeMap<>();
        byOperation.forEach((op, v) -> copy.put(op, v.clone()));
        return copy;
    }

    private static List<ConsumedCapacity> one(ConsumedCapacity c) {
        return c == null ? List.of() : List.of(c);
    }
}
