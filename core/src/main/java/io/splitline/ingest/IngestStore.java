package io.splitline.ingest;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * The port through which ingest and exposure recording read units and event keys and commit a
 * {@link WriteSet} atomically. The DynamoDB implementation is {@code DynamoDbIngestStore} (module
 * {@code dynamodb}).
 */
public interface IngestStore {
    /** Stored state of these units (consistent reads); units without an item are absent. */
    Map<UnitRef, UnitState> loadUnits(Collection<UnitRef> refs);

    /** Which of these idempotency keys ({@code key#eventId}) already have a stored event. */
    Set<String> existingEvents(Collection<String> idempotencyKeys);

    /**
     * Writes everything in the set atomically.
     *
     * @throws CommitConflictException when a condition failed or the write conflicted; nothing was written
     */
    void commit(WriteSet set, Instant now);
}
