package io.splitline.error;

/**
 * A write based on a version that is no longer the stored one (optimistic locking): another writer got in
 * between. Reading again and retrying is the fix, so retry loops catch exactly this.
 */
public final class VersionConflictException extends DomainException {
    public VersionConflictException(String message, String field) {
        super(message, field, null);
    }

    public VersionConflictException(String message, String field, Throwable cause) {
        super(message, field, cause);
    }
}
