package io.splitline.error;

/**
 * A request the domain refuses, in the domain's own terms: which rule was broken and, when an input field
 * broke it, that field's JSON path ({@code variants[1].weight}). The message is written for the client (no
 * stack trace, no internal detail); the cause, when there is one, is kept for the logs only.
 *
 * <p>The domain never says how a refusal is answered: the API layer maps each subclass to a status and an
 * error code in one place ({@code io.splitline.http.DomainErrors}).
 */
public abstract class DomainException extends RuntimeException {
    private final String field;

    protected DomainException(String message, String field, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    /** JSON path of the offending input field, or null when no single field is to blame. */
    public String field() {
        return field;
    }
}
