package io.splitline.bench.harness;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Counts conditional single-item writes to the tables whose names end with the given logical ids, and those
 * refused by their condition: on the units and aggregates tables, the stream fold's conflicts (an aggregate
 * item whose marker moved, a unit written meanwhile), which are its only ones.
 */
final class ConditionalWrites implements ExecutionInterceptor {
    private final List<String> tables;
    private final LongAdder attempted = new LongAdder();
    private final LongAdder refused = new LongAdder();

    ConditionalWrites(String... logicalIds) {
        this.tables = List.of(logicalIds);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (counted(context.request())) {
            attempted.increment();
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (counted(context.request()) && context.exception() instanceof ConditionalCheckFailedException) {
            attempted.increment();
            refused.increment();
        }
    }

    private boolean counted(Object request) {
        return request instanceof UpdateItemRequest u && ours(u.tableName()) && u.conditionExpression() != null
                || request instanceof PutItemRequest p && ours(p.tableName()) && p.conditionExpression() != null;
    }

    private boolean ours(String table) {
        return tables.stream().anyMatch(table::endsWith);
    }

    long attempted() {
        return attempted.sum();
    }

    long refused() {
        return refused.sum();
    }
}
