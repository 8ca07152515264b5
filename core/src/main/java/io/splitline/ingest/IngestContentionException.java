package io.splitline.ingest;

import io.splitline.error.RetryLaterException;
import java.time.Duration;

/**
 * Ingest gave up on a batch after {@code MAX_COMMIT_ATTEMPTS} cancelled commits (other ingests kept
 * changing its units, or DynamoDB kept throttling). Answered as {@code 503 unavailable} with
 * {@code Retry-After}: every commit is atomic, so each event of the batch is either fully recorded
 * (stored and counted, by a commit that succeeded before giving up) or not at all, and re-sending the
 * same batch is safe: the recorded ones come back as {@code duplicates}, the rest are recorded then.
 */
public final class IngestContentionException extends RetryLaterException {
    /** How long a client should wait before re-sending: contention on a few units clears within moments. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final int recorded;

    IngestContentionException(int recorded, Throwable cause) {
        super("too much contention on these units to record the whole batch now: re-send the same"
                + " batch after the Retry-After delay (events it already recorded then come back as duplicates)",
                RETRY_AFTER, cause);
        this.recorded = recorded;
    }

    /** Events of the batch that commits recorded before giving up (for the logs; the client is not told). */
    public int recorded() {
        return recorded;
    }
}
