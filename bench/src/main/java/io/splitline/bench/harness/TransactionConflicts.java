package io.splitline.bench.harness;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * DynamoDB's documented transaction-conflict rule, played on the client side of every client sharing one
 * instance, because DynamoDB Local runs transactions one after another and never reports a conflict: a
 * {@code TransactWriteItems} that names an item another transaction in flight names is cancelled with
 * {@code TransactionConflict} on that item, without reaching the engine. The service under measurement
 * sees exactly what DynamoDB would answer it, so its retries and 503s are real.
 */
final class TransactionConflicts implements ExecutionInterceptor {
    private static final ExecutionAttribute<Set<String>> ITEMS = new ExecutionAttribute<>("transactionConflictsItems");

    private final Set<String> inFlight = new HashSet<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (!(context.request() instanceof TransactWriteItemsRequest request)) {
            return;
        }
        release(attributes); // an SDK retry of this call: its earlier attempt is no longer in flight
        List<String> items = request.transactItems().stream().map(TransactionConflicts::item).toList();
        boolean conflict;
        synchronized (inFlight) {
            conflict = items.stream().anyMatch(inFlight::contains);
            if (!conflict) {
                inFlight.addAll(items);
                attributes.putAttribute(ITEMS, new HashSet<>(items));
            }
        }
        if (conflict) {
            List<CancellationReason> reasons = new ArrayList<>();
            synchronized (inFlight) {
                items.forEach(i -> reasons.add(CancellationReason.builder()
                        .code(inFlight.contains(i) ? "TransactionConflict" : "None").build()));
            }
            throw TransactionCanceledException.builder().message("Transaction cancelled (conflict)").statusCode(400)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionCanceledException")
                            .errorMessage("Transaction cancelled, please refer cancellation reasons for specific reasons").build())
                    .cancellationReasons(reasons).build();
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        release(attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        release(attributes);
    }

    private void release(ExecutionAttributes attributes) {
        Set<String> mine = attributes.getAttribute(ITEMS);
        if (mine != null) {
            attributes.putAttribute(ITEMS, null);
            synchronized (inFlight) {
                inFlight.removeAll(mine);
            }
        }
    }

    /** Table and key of the item a transaction item touches. */
    private static String item(TransactWriteItem t) {
        if (t.put() != null) {
            return key(t.put().tableName(), t.put().item());
        } else if (t.update() != null) {
            return key(t.update().tableName(), t.update().key());
        } else if (t.delete() != null) {
            return key(t.delete().tableName(), t.delete().key());
        }
        return key(t.conditionCheck().tableName(), t.conditionCheck().key());
    }

    private static String key(String table, Map<String, AttributeValue> item) {
        AttributeValue sk = item.get("sk");
        return table + "\u0000" + item.get("pk").s() + "\u0000" + (sk == null ? "" : sk.s());
    }
}
