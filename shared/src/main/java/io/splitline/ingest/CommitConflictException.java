package io.splitline.ingest;

import java.util.Set;

/**
 * A commit was cancelled and nothing of it was written. Names what to do before planning again: events
 * that already exist (duplicates), units whose stored version moved (re-read them), or a transient
 * conflict (try again).
 */
final class CommitConflictException extends RuntimeException {
    private final Set<String> duplicateEvents;
    private final Set<UnitRef> staleUnits;

    CommitConflictException(Set<String> duplicateEvents, Set<UnitRef> staleUnits, Throwable cause) {
        super("commit cancelled: " + duplicateEvents.size() + " duplicate events, " + staleUnits.size() + " stale units", cause);
        this.duplicateEvents = Set.copyOf(duplicateEvents);
        this.staleUnits = Set.copyOf(staleUnits);
    }

    Set<String> duplicateEvents() {
        return duplicateEvents;
    }

    Set<UnitRef> staleUnits() {
        return staleUnits;
    }
}
