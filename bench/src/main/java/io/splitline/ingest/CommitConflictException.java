package io.splitline.ingest;

import java.util.Set;

/**
 * A commit was cancelled and nothing of it was written. Names what to look at before planning again:
 * events whose "does not exist" condition failed (perhaps stored: a consistent read decides), units
 * whose stored version moved (re-read them), or neither: a transient conflict or throttling (try again).
 */
final class CommitConflictException extends RuntimeException {
    private final Set<String> duplicateEvents;
    private final Set<UnitRef> staleUnits;

    CommitConflictException(Set<String> duplicateEvents, Set<UnitRef> staleUnits, Throwable cause) {
        super("commit cancelled: " + duplicateEvents.size() + " duplicate events, " + staleUnits.size() + " stale units", cause);
        this.duplicateEvents = Set.copyOf(duplicateEvents);
        this.staleUnits = Set.copyOf(staleUnits);
    }

    /** Events whose condition failed: suspected duplicates, to be confirmed by a read. */
    Set<String> duplicateEvents() {
        return duplicateEvents;
    }

    Set<UnitRef> staleUnits() {
        return staleUnits;
    }
}
