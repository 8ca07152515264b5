package io.splitline.error;

/**
 * A change the definition's current state does not allow (starting a completed experiment, changing the
 * variants of a running one). Unlike {@link VersionConflictException}, retrying does not help.
 */
public final class StateConflictException extends DomainException {
    public StateConflictException(String message, String field) {
        super(message, field, null);
    }
}
