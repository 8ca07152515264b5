package io.splitline.ingest;

import java.util.concurrent.ThreadLocalRandom;

/** Short, jittered pauses between retries of contended or throttled DynamoDB calls. */
final class Backoff {
    private Backoff() {
    }

    static void pause(int attempt) {
        long capMillis = Math.min(200, 5L << Math.min(attempt, 6));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, capMillis + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }
}
