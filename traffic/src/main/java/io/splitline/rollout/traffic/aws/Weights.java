package io.splitline.rollout.traffic.aws;

/**
 * Checks a weight before it is sent: an invalid one must never reach a call (AWS would refuse it, and
 * moto, on which the adapters are tested, would store it).
 */
final class Weights {
    private Weights() {
    }

    /** The treatment's share must be a finite number in [0, 1]. */
    static void requireShare(double share) {
        if (!(share >= 0.0 && share <= 1.0)) {
            throw new IllegalArgumentException("a treatment share is in [0, 1], got " + share);
        }
    }
}
