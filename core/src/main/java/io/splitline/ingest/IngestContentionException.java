package io.splitline.ingest;

import io.splitline.error.RetryLaterException;
import java.time.Duration;

/**
 * Ingest could not store the whole batch now: DynamoDB throttled some raw puts ({@link RawEventIngest}). Answered as
 * {@code 503 unavailable} with {@code Retry-After}: each event is either stored or not at all, so
 * re-sending the same batch is safe: the stored ones come back as {@code duplicates}, the rest are stored then.
 */
public final class IngestContentionException extends RetryLaterException {
    /** How long a client should wait before re-sending: contention on a few units clears within moments. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final int recorded;

    IngestContentionException(int recorded, Throwable cause) {
        super("too much contention or throttling to store the whole batch now: re-send the same"
                + " batch after the Retry-After delay (events it already recorded then come back as duplicates)",
                RETRY_AFTER, cause);
        this.recorded = recorded;
    }

    /** Events of the batch stored before giving up (for the logs; the client is not told). */
    public int recorded() {
        return recorded;
    }
}
