package io.splitline.wiring;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Priming for Lambda SnapStart (enabled in the template). SnapStart snapshots the JVM after the function's
 * init and restores that snapshot for each new container, so whatever init loaded and compiled is free
 * afterwards. A function primes itself by sending one harmless request through a throwaway copy of its
 * handler during the snapshot's init: classes of the request path, the SDK's request pipeline and the JSON
 * code are then in the snapshot, while the real handler's caches stay empty and load fresh data after the
 * restore. Only the snapshot's init primes; an ordinary cold start pays nothing for it.
 */
public final class SnapStart {
    private static final Logger LOG = LoggerFactory.getLogger(SnapStart.class);

    private SnapStart() {
    }

    /** True during the init whose JVM SnapStart snapshots ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}). */
    public static boolean snapshotting() {
        return "snap-start".equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"));
    }

    /**
     * Sends {@code eventJson} through {@code handler} once, best effort: a failure is logged and only means
     * the first request after a restore loads what it needs itself.
     */
    public static void prime(RequestStreamHandler handler, String eventJson) {
        try {
            handler.handleRequest(new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)),
                    new ByteArrayOutputStream(), null);
        } catch (IOException | RuntimeException e) {
            LOG.warn("priming failed; the first request after a restore will load its classes itself", e);
        }
    }
}
