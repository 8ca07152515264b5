package io.splitline.wiring;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Priming for Lambda SnapStart (enabled in the template). SnapStart snapshots the JVM after the function's
 * init and restores that snapshot for each new container, so whatever init loaded and compiled is free
 * afterwards. A function primes itself by sending one harmless request through a throwaway copy of its
 * handler during the snapshot's init: classes of the request path, the SDK's request pipeline and the JSON
 * code are then in the snapshot, while the real handler's caches stay empty and load fresh data after the
 * restore. Only the snapshot's init primes; an ordinary cold start pays nothing for it.
 *
 * <p>One request loads the classes, but leaves the code interpreted: Lambda's Java runtimes compile with C1
 * only ({@code -XX:TieredStopAtLevel=1}), which compiles a method after ~200 calls. So priming runs
 * {@link #ROUNDS} rounds, and the snapshot holds the request path compiled, not only loaded.
 */
public final class SnapStart {
    private static final Logger LOG = LoggerFactory.getLogger(SnapStart.class);

    /**
     * Rounds of priming: in the cold-start emulation the first request after the primed init took 308, 209 and
     * 122 ms after 1, 10 and 40 rounds in one run (load ~11, so indicative; BENCHMARKS.md "Priming rounds"). More
     * rounds lengthen only the snapshot's init, at publish time, by 3 requests and a refused put each.
     */
    public static final int ROUNDS = 50;

    private SnapStart() {
    }

    /** True during the init whose JVM SnapStart snapshots ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}). */
    public static boolean snapshotting() {
        return "snap-start".equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"));
    }

    /**
     * Runs {@code round} {@link #ROUNDS} times, stopping at the first that fails (returns false): a failure
     * (say, DynamoDB unreachable) would fail again in every round, each after its retries.
     */
    public static void repeat(BooleanSupplier round) {
        for (int i = 0; i < ROUNDS; i++) {
            if (!round.getAsBoolean()) {
                return;
            }
        }
    }

    /**
     * Sends {@code eventJson} through {@code handler} once, best effort: a failure is logged and only means
     * the first request after a restore loads what it needs itself. False when the handler threw.
     */
    public static boolean prime(RequestStreamHandler handler, String eventJson) {
        try {
            handler.handleRequest(new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)),
                    new ByteArrayOutputStream(), null);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("priming failed; the first request after a restore will load its classes itself", e);
            return false;
        }
    }
}
