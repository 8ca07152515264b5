package io.splitline.rollout;

import io.splitline.error.InvalidFieldException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A CloudWatch statistic: one of {@code SampleCount}, {@code Average}, {@code Sum}, {@code Minimum},
 * {@code Maximum}, or a percentile {@code p0}..{@code p100} with up to 10 decimals ({@code p99},
 * {@code p99.9}). The name is passed to CloudWatch unchanged (GetMetricData's {@code Stat}).
 *
 * @param name the CloudWatch name, validated by {@link #parse}
 */
public record Statistic(String name) {
    private static final Set<String> NAMED = Set.of("SampleCount", "Average", "Sum", "Minimum", "Maximum");
    private static final Pattern PERCENTILE = Pattern.compile("^p(0|[1-9][0-9]{0,2})(\\.[0-9]{1,10})?$");

    /** Validates a statistic name; {@code path} is the JSON path reported on failure. */
    public static Statistic parse(String name, String path) {
        if (NAMED.contains(name)) {
            return new Statistic(name);
        }
        if (PERCENTILE.matcher(name).matches() && Double.parseDouble(name.substring(1)) <= 100) {
            return new Statistic(name);
        }
        throw new InvalidFieldException(path, path + " must be one of " + NAMED.stream().sorted().toList()
                + " or a percentile p0..p100 such as p99 or p99.9 (got '" + name + "')");
    }

    public boolean isPercentile() {
        return name.startsWith("p");
    }

    /**
     * True for statistics that count or add up samples ({@code Sum}, {@code SampleCount}): for them a
     * period without data points means zero, whereas for the others it means "unknown".
     */
    public boolean isAdditive() {
        return name.equals("Sum") || name.equals("SampleCount");
    }

    @Override
    public String toString() {
        return name;
    }
}
