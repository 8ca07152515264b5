package io.splitline.rollout.traffic;

/**
 * Port to the AWS resource a rollout shifts traffic on: read its split, and change it. One adapter per
 * target type ({@code io.splitline.rollout.traffic.aws}); {@link TrafficControls} picks the one for a
 * target.
 */
public interface TrafficControl {
    /** Whether this adapter drives targets like {@code target}. */
    boolean handles(RolloutTarget target);

    /**
     * The target's split now and the treatment's readiness.
     *
     * @throws TargetRetryException when AWS throttled the read
     */
    TrafficReading read(RolloutTarget target);

    /**
     * Sends {@code treatmentShare} of the traffic to the treatment and the rest to the control, in one
     * update conditional on {@code reading} (its revision) where the target supports it; 1 makes the
     * treatment the only (primary) version.
     *
     * @throws TargetRetryException when the target changed since {@code reading}, is busy, or AWS throttled
     *                              the call: the next step reads again and retries
     */
    void shift(RolloutTarget target, TrafficReading reading, double treatmentShare);
}
