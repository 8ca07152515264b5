package io.splitline.bench.harness;

import java.util.Arrays;
import java.util.Locale;

/**
 * A latency distribution from individual measurements, in nanoseconds. Percentiles use the nearest-rank
 * definition: p99 of 1000 samples is the 990th smallest.
 */
record Latencies(long[] sortedNanos) {
    static Latencies of(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Latencies(sorted);
    }

    int count() {
        return sortedNanos.length;
    }

    /** The nearest-rank percentile, {@code q} in (0, 1]. */
    long percentile(double q) {
        if (sortedNanos.length == 0) {
            throw new IllegalStateException("no samples");
        }
        int rank = (int) Math.ceil(q * sortedNanos.length);
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length, rank) - 1)];
    }

    long median() {
        return percentile(0.5);
    }

    long max() {
        return sortedNanos[sortedNanos.length - 1];
    }

    /** Milliseconds with three decimals, for reports. */
    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    /** Microseconds with one decimal, for reports. */
    static String us(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e3);
    }
}
