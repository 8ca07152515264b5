package io.splitline.settings;

import java.time.Duration;
import java.util.Optional;

/**
 * The one source of a function's settings: its environment, which template.yaml declares. Reading a
 * variable is written once ({@link #env}: unset and blank are the same, "not configured"), and the defaults
 * the handlers and the benchmarks fall back on are declared once, here (template.yaml repeats them as its
 * parameters' defaults, the values a deployment gets). The parsing of duration settings is
 * {@code Wiring.seconds/minutes/days}.
 */
public final class Settings {
    /** How long the app functions trust their definitions cache when {@code DEFINITION_CACHE_SECONDS} is unset. */
    public static final Duration DEFINITION_CACHE_TTL = Duration.ofSeconds(10);
    /**
     * How old the segment roll-up a results call shows may be when {@code SEGMENT_ROLLUP_SECONDS} is unset: the first
     * call after it recomputes the roll-up from the segment partitions (BENCHMARKS.md, "Segment roll-up").
     */
    public static final Duration SEGMENT_ROLLUP_MAX_AGE = Duration.ofSeconds(60);
    /** How long raw events (and so their idempotency) are kept when {@code EVENT_RETENTION_DAYS} is unset. */
    public static final Duration EVENT_RETENTION = Duration.ofDays(90);

    private Settings() {
    }

    /** The value of an environment variable; empty when it is unset or blank. */
    public static Optional<String> env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
