package io.splitline.rollout.health;

/**
 * The health source could not be read (throttling, permissions, an outage). It says nothing about the
 * rollout's health, so the caller should neither advance nor roll back on it: hold and retry at the
 * next step. The cause is kept for the logs.
 */
public class HealthReadException extends RuntimeException {

    public HealthReadException(String message, Throwable cause) {
        super(message, cause);
    }

    public HealthReadException(String message) {
        super(message);
    }
}
