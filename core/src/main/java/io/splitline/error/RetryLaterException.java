package io.splitline.error;

import java.time.Duration;

/** The service is busy (contention): nothing half-done was kept, and the same request can be re-sent later. */
public abstract class RetryLaterException extends DomainException {
    private final Duration retryAfter;

    protected RetryLaterException(String message, Duration retryAfter, Throwable cause) {
        super(message, null, cause);
        this.retryAfter = retryAfter;
    }

    /** When the client may try again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
