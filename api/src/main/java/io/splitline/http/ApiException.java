package io.splitline.http;

import java.time.Duration;

/**
 * A failure that the client caused or must know about, answered with the documented error body
 * {@code {"error", "message", "field"}}. The message is written for the client: it never contains a
 * stack trace or an internal detail. The cause, when there is one, is kept for the logs only.
 */
public class ApiException extends RuntimeException {
    private final ErrorCode code;
    private final String field;
    private final Duration retryAfter;

    public ApiException(ErrorCode code, String message, String field) {
        this(code, message, field, null);
    }

    public ApiException(ErrorCode code, String message, String field, Throwable cause) {
        this(code, message, field, null, cause);
    }

    /** @param retryAfter when the client may try again (answered as {@code Retry-After}), or null */
    public ApiException(ErrorCode code, String message, String field, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.field = field;
        this.retryAfter = retryAfter;
    }

    public ErrorCode code() {
        return code;
    }

    /** JSON path of the offending input field ({@code variants[1].weight}), or null. */
    public String field() {
        return field;
    }

    /** When the client may try again, for a retryable error; null otherwise. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(ErrorCode.INVALID_REQUEST, message, field);
    }

    public static ApiException notFound(String message) {
        return new ApiException(ErrorCode.NOT_FOUND, message, null);
    }

    public static ApiException conflict(String message, String field) {
        return new ApiException(ErrorCode.CONFLICT, message, field);
    }

    public static ApiException conflict(String message, String field, Throwable cause) {
        return new ApiException(ErrorCode.CONFLICT, message, field, cause);
    }
}
