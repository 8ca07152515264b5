package io.splitline.error;

/** A create whose key is already taken (by the same kind of definition or by another kind sharing the key space). */
public final class AlreadyExistsException extends DomainException {
    public AlreadyExistsException(String message, String field, Throwable cause) {
        super(message, field, cause);
    }
}
