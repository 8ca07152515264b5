package io.splitline.rollout.traffic;

/**
 * One arm's traffic on a target over the metrics window, from CloudWatch alone.
 *
 * @param invocations requests the arm served ({@code Invocations})
 * @param errors      of which failed ({@code Errors} for Lambda, {@code Invocation5XXErrors} for SageMaker),
 *                    never more than {@code invocations}
 * @param latencyMs   mean latency in milliseconds ({@code Duration}, or {@code ModelLatency} converted from
 *                    microseconds), null without invocations
 */
public record ArmTraffic(long invocations, long errors, Double latencyMs) {
    public static final ArmTraffic NONE = new ArmTraffic(0, 0, null);

    public ArmTraffic {
        if (invocations < 0 || errors < 0) {
            throw new IllegalArgumentException("counts are never negative: " + invocations + ", " + errors);
        }
        // CloudWatch's minutes are published independently: clamp a transient excess of errors.
        errors = Math.min(errors, invocations);
    }
}
