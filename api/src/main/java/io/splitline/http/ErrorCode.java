package io.splitline.http;

/** The error codes of the API contract, each with the HTTP status it is always answered with. */
public enum ErrorCode {
    INVALID_REQUEST(400, "invalid_request"),
    UNAUTHORIZED(401, "unauthorized"),
    FORBIDDEN(403, "forbidden"),
    NOT_FOUND(404, "not_found"),
    CONFLICT(409, "conflict"),
    PAYLOAD_TOO_LARGE(413, "payload_too_large"),
    INTERNAL(500, "internal"),
    /** Retryable: the service is busy (contention); the response carries {@code Retry-After}. */
    UNAVAILABLE(503, "unavailable");

    private final int status;
    private final String code;

    ErrorCode(int status, String code) {
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    /** The value of the {@code error} field of the error body. */
    public String code() {
        return code;
    }
}
