package io.splitline.rollout.traffic;

/**
 * A target could not be read or changed now, for a reason that passes: it changed since it was read (a
 * stale {@code RevisionId}), it is busy ({@code Updating}), or AWS throttled the call. The step leaves it
 * to the next run, which reads again.
 */
public final class TargetRetryException extends RuntimeException {
    public TargetRetryException(String message, Throwable cause) {
        super(message, cause);
    }
}
