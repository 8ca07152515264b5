package io.splitline.rollout.traffic;

import java.time.Instant;

/** Port to the per-arm metrics AWS publishes for a target (CloudWatch in AWS). */
public interface ArmMetricsSource {
    /** Each arm's traffic in {@code [from, to)}. */
    ArmMetrics read(RolloutTarget target, Instant from, Instant to);

    /**
     * Both arms over one window.
     *
     * @param from      window start (the stage start)
     * @param to        window end (now minus the metrics lag)
     * @param control   the control arm
     * @param treatment the treatment arm
     */
    record ArmMetrics(Instant from, Instant to, ArmTraffic control, ArmTraffic treatment) {
    }
}
