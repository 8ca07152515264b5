package io.splitline.stats;

/**
 * A closed interval {@code [lower, upper]} of finite numbers, {@code lower <= upper}. Statistics return
 * null instead of an interval when one is not defined (for example no units), so an interval in hand is
 * always meaningful.
 *
 * @param lower lower bound
 * @param upper upper bound
 */
public record Interval(double lower, double upper) {
    public Interval {
        if (!Double.isFinite(lower) || !Double.isFinite(upper) || lower > upper) {
            throw new IllegalArgumentException("not a finite interval: [" + lower + ", " + upper + "]");
        }
    }

    public boolean contains(double value) {
        return value >= lower && value <= upper;
    }
}
