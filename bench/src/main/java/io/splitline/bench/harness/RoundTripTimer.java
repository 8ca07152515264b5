package io.splitline.bench.harness;

import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Adds up the time DynamoDB requests spend on the wire: from just before the SDK sends a request's bytes to
 * just after the response's headers and body arrive (its {@code beforeTransmission} and
 * {@code afterTransmission} hooks). On DynamoDB Local over loopback that is the server's own time per
 * request; the rest of a call's time in the SDK is marshalling, signing and unmarshalling on the client.
 * Requests in flight together each count their own time, so the sum can exceed the wall-clock time.
 */
final class RoundTripTimer implements ExecutionInterceptor {
    private static final ExecutionAttribute<Long> SENT = new ExecutionAttribute<>("splitline.sentNanos");

    private final LongAdder nanos = new LongAdder();
    private final LongAdder requests = new LongAdder();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attributes.putAttribute(SENT, System.nanoTime());
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        Long sent = attributes.getAttribute(SENT);
        if (sent != null) {
            nanos.add(System.nanoTime() - sent);
            requests.increment();
        }
    }

    /** Time on the wire since the last reset, summed over requests. */
    long nanos() {
        return nanos.sum();
    }

    long requests() {
        return requests.sum();
    }

    void reset() {
        nanos.reset();
        requests.reset();
    }
}
