package io.splitline.error;

/** The experiment, rollout or other thing asked for does not exist. */
public final class NotFoundException extends DomainException {
    public NotFoundException(String message) {
        super(message, null, null);
    }
}
