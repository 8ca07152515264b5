package io.splitline.error;

/** An input over one of the documented size bounds (events per batch, stored definition size). */
public final class TooLargeException extends DomainException {
    public TooLargeException(String message, String field) {
        super(message, field, null);
    }
}
