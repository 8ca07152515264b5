package io.splitline.error;

/** An input that breaks a validation rule: the field's JSON path (or null for the whole body) and the fix. */
public final class InvalidFieldException extends DomainException {
    public InvalidFieldException(String field, String message) {
        super(message, field, null);
    }

    public InvalidFieldException(String field, String message, Throwable cause) {
        super(message, field, cause);
    }
}
