package io.splitline.rollout;

import io.splitline.json.EnumCodec;
import java.util.Optional;

/**
 * How a health check's observed value is compared with its threshold; the names are CloudWatch's alarm
 * comparison operators, so a check reads like the alarm a user would otherwise have written. A check is
 * breached when the comparison holds ({@code GreaterThanThreshold}: value &gt; threshold).
 */
public enum Comparison {
    GREATER_THAN_THRESHOLD("GreaterThanThreshold"),
    GREATER_THAN_OR_EQUAL_TO_THRESHOLD("GreaterThanOrEqualToThreshold"),
    LESS_THAN_THRESHOLD("LessThanThreshold"),
    LESS_THAN_OR_EQUAL_TO_THRESHOLD("LessThanOrEqualToThreshold");

    private final String json;

    Comparison(String json) {
        this.json = json;
    }

    /** The CloudWatch operator name, which is also the API value. */
    public String json() {
        return json;
    }

    public static Optional<Comparison> fromJson(String name) {
        return EnumCodec.parse(Comparison.class, name, Comparison::json);
    }

    /** True when {@code value} is on the unhealthy side of {@code threshold}. */
    public boolean breaches(double value, double threshold) {
        return switch (this) {
            case GREATER_THAN_THRESHOLD -> value > threshold;
            case GREATER_THAN_OR_EQUAL_TO_THRESHOLD -> value >= threshold;
            case LESS_THAN_THRESHOLD -> value < threshold;
            case LESS_THAN_OR_EQUAL_TO_THRESHOLD -> value <= threshold;
        };
    }

    /**
     * True when {@code candidate} is strictly further on the unhealthy side than {@code current}: larger
     * for the greater-than operators, smaller for the less-than ones.
     */
    public boolean isWorse(double candidate, double current) {
        return switch (this) {
            case GREATER_THAN_THRESHOLD, GREATER_THAN_OR_EQUAL_TO_THRESHOLD -> candidate > current;
            case LESS_THAN_THRESHOLD, LESS_THAN_OR_EQUAL_TO_THRESHOLD -> candidate < current;
        };
    }
}
