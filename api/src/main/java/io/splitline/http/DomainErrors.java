package io.splitline.http;

import io.splitline.error.AlreadyExistsException;
import io.splitline.error.DomainException;
import io.splitline.error.InvalidFieldException;
import io.splitline.error.NotFoundException;
import io.splitline.error.RetryLaterException;
import io.splitline.error.StateConflictException;
import io.splitline.error.TooLargeException;
import io.splitline.error.VersionConflictException;
import java.time.Duration;

/**
 * The one place where the domain's refusals become HTTP answers: each {@link DomainException} subclass to
 * the {@link ErrorCode} (and so the status) of the API contract, keeping the message, the field and, for a
 * retryable refusal, the {@code Retry-After}.
 */
public final class DomainErrors {
    private DomainErrors() {
    }

    /** The API error answering {@code e}; the domain exception stays its cause, for the logs. */
    public static ApiException toApi(DomainException e) {
        Duration retryAfter = e instanceof RetryLaterException r ? r.retryAfter() : null;
        return new ApiException(code(e), e.getMessage(), e.field(), retryAfter, e);
    }

    /** The error code of a refusal. */
    public static ErrorCode code(DomainException e) {
        if (e instanceof InvalidFieldException) {
            return ErrorCode.INVALID_REQUEST;
        }
        if (e instanceof NotFoundException) {
            return ErrorCode.NOT_FOUND;
        }
        if (e instanceof AlreadyExistsException || e instanceof VersionConflictException
                || e instanceof StateConflictException) {
            return ErrorCode.CONFLICT;
        }
        if (e instanceof TooLargeException) {
            return ErrorCode.PAYLOAD_TOO_LARGE;
        }
        if (e instanceof RetryLaterException) {
            return ErrorCode.UNAVAILABLE;
        }
        throw new IllegalArgumentException("no error code for " + e.getClass().getName(), e);
    }
}
