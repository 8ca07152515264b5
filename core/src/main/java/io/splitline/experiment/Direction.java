package io.splitline.experiment;

/** Which way is better for a metric. */
public enum Direction {
    INCREASE, DECREASE;

    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
