package io.splitline.devkit;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the requests an SDK client sends, by operation name ({@code TransactWriteItems}…), including
 * SDK retries. Register it with {@link DynamoDbLocal#client(java.net.URI, ExecutionInterceptor...)}.
 */
public final class RequestCounter implements ExecutionInterceptor {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        counts.computeIfAbsent(operation, k -> new LongAdder()).increment();
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long count(String operation) {
        LongAdder adder = counts.get(operation);
        return adder == null ? 0 : adder.sum();
    }

    /** Counts by operation, sorted by name. */
    public Map<String, Long> byOperation() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((k, v) -> snapshot.put(k, v.sum()));
        return snapshot;
    }

    public void reset() {
        counts.clear();
    }
}
