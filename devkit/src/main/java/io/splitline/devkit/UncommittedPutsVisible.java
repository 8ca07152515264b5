package io.splitline.devkit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * A weaker transaction isolation than DynamoDB's, played on the client side of every client that shares
 * one instance (for the tables of {@code template.yaml}, whose items are keyed by {@code pk} and
 * optionally {@code sk}): a transaction whose "does not exist" put names an item that another transaction in
 * flight also puts sees that uncommitted put, and is cancelled with {@code ConditionalCheckFailed} on it
 * without reaching the engine; two such transactions that start together see each other, so both are
 * cancelled and neither writes the item. That is how the lost events were explained (DynamoDB Local
 * judging conditions against uncommitted writes; DynamoDB answers {@code TransactionConflict}). Exactly
 * once must not depend on the engine's isolation, so it must hold with this one too.
 */
public final class UncommittedPutsVisible implements ExecutionInterceptor {
    private static final ExecutionAttribute<Txn> TXN = new ExecutionAttribute<>("uncommittedPutsVisibleTxn");
    /** How long a transaction stays "in flight" before it is judged, so that transactions started together overlap. */
    private static final long OVERLAP_MILLIS = 5;

    private static final class Txn {
        final Set<String> seenUncommitted = new HashSet<>();
        boolean sent;
    }

    private final Map<String, List<Txn>> inFlight = new HashMap<>();
    private int cancelled;

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (!(context.request() instanceof TransactWriteItemsRequest request)) {
            return;
        }
        List<String> keys = request.transactItems().stream().map(UncommittedPutsVisible::createdItem).toList();
        Txn me = new Txn();
        done(attributes); // an SDK retry of this call: its earlier attempt is no longer in flight
        attributes.putAttribute(TXN, me);
        synchronized (this) {
            keys.stream().filter(k -> k != null).forEach(k -> inFlight.computeIfAbsent(k, x -> new ArrayList<>()).add(me));
        }
        try {
            Thread.sleep(OVERLAP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            for (String key : keys) {
                for (Txn other : key == null ? List.<Txn>of() : inFlight.get(key)) {
                    if (other != me) {
                        me.seenUncommitted.add(key);
                        if (!other.sent) {
                            other.seenUncommitted.add(key); // it is being judged too: it sees mine
                        }
                    }
                }
            }
            if (me.seenUncommitted.isEmpty()) {
                me.sent = true;
                return;
            }
            cancelled++;
            forget(me);
        }
        List<CancellationReason> reasons = keys.stream().map(k -> CancellationReason.builder()
                .code(k != null && me.seenUncommitted.contains(k) ? "ConditionalCheckFailed" : "None").build()).toList();
        throw TransactionCanceledException.builder().message("Transaction cancelled (sees uncommitted puts)").statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionCanceledException")
                        .errorMessage("Transaction cancelled (sees uncommitted puts)").build())
                .cancellationReasons(reasons).build();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        done(attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        done(attributes);
    }

    /** Transactions cancelled because they saw an uncommitted put. */
    public synchronized int cancelled() {
        return cancelled;
    }

    private void done(ExecutionAttributes attributes) {
        Txn me = attributes.getAttribute(TXN);
        if (me != null) {
            synchronized (this) {
                forget(me);
            }
        }
    }

    private void forget(Txn txn) {
        inFlight.values().forEach(list -> list.remove(txn));
        inFlight.values().removeIf(List::isEmpty);
    }

    /** Table and key of an item the transaction creates ("does not exist" put), or null. */
    private static String createdItem(TransactWriteItem item) {
        Put put = item.put();
        if (put == null || put.conditionExpression() == null || !put.conditionExpression().startsWith("attribute_not_exists")) {
            return null;
        }
        String sk = put.item().containsKey("sk") ? put.item().get("sk").s() : "";
        return put.tableName() + "\u0000" + put.item().get("pk").s() + "\u0000" + sk;
    }
}
