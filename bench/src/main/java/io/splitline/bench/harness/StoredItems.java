package io.splitline.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * The items a client's {@code PutItem}s stored in one table, in the order they succeeded: what that table's stream
 * carries as INSERT records (NEW_IMAGE). A put refused by its condition stores nothing and is not kept. Lets a bench
 * fold what the real handlers stored ({@link StreamIngest#stored}) without reading DynamoDB Local's stream.
 */
final class StoredItems implements ExecutionInterceptor {
    private final String table;
    private final List<Map<String, AttributeValue>> items = new ArrayList<>();

    StoredItems(String table) {
        this.table = table;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof PutItemRequest put && put.tableName().equals(table)) {
            synchronized (items) {
                items.add(put.item());
            }
        }
    }

    /** The items stored since the last call, oldest first. */
    List<Map<String, AttributeValue>> take() {
        synchronized (items) {
            List<Map<String, AttributeValue>> taken = List.copyOf(items);
            items.clear();
            return taken;
        }
    }
}
