package io.splitline.rollout;

/**
 * Where the scheduled step announces what people must hear about: EventBridge in AWS (detail-type
 * {@value #ROLLED_BACK}), a log or an in-memory record in the local stack and tests. Called after the
 * decision is stored, by the one step whose conditional write won, so each rollback is announced once.
 */
public interface RolloutEvents {
    /** The EventBridge {@code source} of Splitline's events. */
    String SOURCE = "splitline";
    /** The EventBridge {@code detail-type} of a rollback. */
    String ROLLED_BACK = "Splitline Rollout Rolled Back";

    /**
     * Announces that {@code rollout} (the stored version after the rollback) was rolled back.
     *
     * @throws RuntimeException when the announcement could not be delivered; the rollback stands
     */
    void rolledBack(Rollout rollout);
}
