package io.splitline.rollout.step;

import io.splitline.rollout.Decision;
import io.splitline.rollout.Rollout;

/**
 * What one scheduled step did with one rollout.
 *
 * @param key      the rollout
 * @param result   decided (and stored), skipped, or failed
 * @param decision the stored decision; null unless decided (or failed after storing a rollback)
 * @param version  the version written; 0 when nothing was written
 * @param detail   the decision's reason, why it was skipped, or what failed
 */
public record StepOutcome(String key, Result result, Decision decision, long version, String detail) {

    /** How a rollout's step ended. */
    public enum Result {
        /** A decision was stored. */
        DECIDED,
        /** Nothing to do (no longer in progress) or someone else wrote first: the next step decides again. */
        SKIPPED,
        /** Something went wrong; the rollout is as it was, unless {@code decision} says what was stored. */
        FAILED
    }

    public static StepOutcome decided(Rollout next) {
        return new StepOutcome(next.key(), Result.DECIDED, next.lastDecision().decision(), next.version(),
                next.lastDecision().reason());
    }

    public static StepOutcome skipped(String key, String why) {
        return new StepOutcome(key, Result.SKIPPED, null, 0, why);
    }

    public static StepOutcome failed(String key, Decision stored, long version, String what) {
        return new StepOutcome(key, Result.FAILED, stored, version, what);
    }
}
