package io.splitline.ingest;

/**
 * The {@code error} of a {@link Rejection}: the API's error codes for one event of a batch, named here so
 * that ingest needs no HTTP type (the API layer's {@code ErrorCode} has the same names).
 */
final class RejectionCodes {
    /** An event that breaks a validation rule. */
    static final String INVALID_REQUEST = "invalid_request";
    /** An event whose key names no experiment or rollout. */
    static final String NOT_FOUND = "not_found";

    private RejectionCodes() {
    }
}
