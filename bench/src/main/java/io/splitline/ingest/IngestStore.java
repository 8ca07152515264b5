package io.splitline.ingest;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * The port through which design A's ingest ({@link IngestService}, the benchmarks' baseline) reads units and
 * event keys and commits a {@link WriteSet} atomically. Its one implementation is {@link DynamoDbIngestStore}.
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
