package io.splitline.rollout.step;

import io.splitline.notify.Notification;
import io.splitline.notify.Notifier;
import io.splitline.rollout.Rollout;
import io.splitline.rollout.RolloutNotifications;

/**
 * What the scheduled step announces about the decisions it stored: rollbacks always, stage advances and
 * completions when the implementation wants them. {@link #to(Notifier)} publishes all three as
 * notifications (EventBridge in AWS, the local stack's list); tests may record just the rollbacks. Called
 * after the decision is stored, by the one step whose conditional write won, so each is announced once.
 */
public interface RolloutEvents {
    /** The EventBridge {@code source} of Splitline's events. */
    String SOURCE = Notifier.SOURCE;
    /** The EventBridge {@code detail-type} of a rollback. */
    String ROLLED_BACK = Notification.ROLLOUT_ROLLED_BACK;

    /**
     * Announces that {@code rollout} (the stored version after the rollback) was rolled back.
     *
     * @throws RuntimeException when the announcement could not be delivered; the rollback stands
     */
    void rolledBack(Rollout rollout);

    /** Announces that {@code rollout} advanced to its current stage; not announced unless overridden. */
    default void advanced(Rollout rollout) {
    }

    /** Announces that {@code rollout} completed at 100 %; not announced unless overridden. */
    default void completed(Rollout rollout) {
    }

    /** Every step decision worth hearing about, as a {@link Notification} through {@code notifier}. */
    static RolloutEvents to(Notifier notifier) {
        return new RolloutEvents() {
            @Override
            public void rolledBack(Rollout rollout) {
                notifier.publish(RolloutNotifications.rollout(Notification.ROLLOUT_ROLLED_BACK, rollout));
            }

            @Override
            public void advanced(Rollout rollout) {
                notifier.publish(RolloutNotifications.rollout(Notification.ROLLOUT_STAGE_ADVANCED, rollout));
            }

            @Override
            public void completed(Rollout rollout) {
                notifier.publish(RolloutNotifications.rollout(Notification.ROLLOUT_COMPLETED, rollout));
            }
        };
    }
}
