package io.splitline.rollout.traffic.aws;

/**
 * Checks a weight before it is sent: neither Lambda's emulators nor moto validate weights, so an invalid
 * one must never reach a call.
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
