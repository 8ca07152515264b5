package io.splitline.stats;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A DDSketch read back from its bin counters (summed over the aggregate shards): how many values fall in each
 * {@link SketchBin}. Ranks and quantiles read the bins in value order, so a value returned is the
 * representative of the bin holding that rank, within {@link SketchBin#RELATIVE_ACCURACY} of the exact order
 * statistic.
 */
public final class QuantileSketch {
    public static final QuantileSketch EMPTY = new QuantileSketch(Map.of());

    /** Bins in increasing value order, with their counts. */
    private final List<Map.Entry<SketchBin, Long>> bins;
    private final long count;

    /** @param counts bin → count; bins with a count of 0 are ignored, a negative count is refused */
    public QuantileSketch(Map<SketchBin, Long> counts) {
        counts.forEach((bin, n) -> {
            if (n < 0) {
                throw new IllegalArgumentException("negative count " + n + " in sketch bin " + bin.code());
            }
        });
        this.bins = counts.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Comparator.comparingDouble(e -> e.getKey().value()))
                .map(e -> Map.entry(e.getKey(), e.getValue())).toList();
        this.count = bins.stream().mapToLong(Map.Entry::getValue).sum();
    }

    /** Equal when they hold the same values per bin (so the results memo can recognise unchanged aggregates). */
    @Override
    public boolean equals(Object o) {
        return o instanceof QuantileSketch other && bins.equals(other.bins);
    }

    @Override
    public int hashCode() {
        return bins.hashCode();
    }

    /** How many values the sketch holds. */
    public long count() {
        return count;
    }

    /** This sketch with {@code zeros} more values of 0 (units without a total, which ingest does not bin). */
    public QuantileSketch withZeros(long zeros) {
        Map<SketchBin, Long> counts = counts();
        counts.merge(SketchBin.ZERO, zeros, Long::sum);
        return new QuantileSketch(counts);
    }

    /** The union of two sketches' values. */
    public QuantileSketch plus(QuantileSketch other) {
        Map<SketchBin, Long> counts = counts();
        other.bins.forEach(e -> counts.merge(e.getKey(), e.getValue(), Long::sum));
        return new QuantileSketch(counts);
    }

    /** The value of 0-based rank {@code rank} (0 ≤ rank &lt; count), as its bin's representative. */
    public double valueAtRank(long rank) {
        if (rank < 0 || rank >= count) {
            throw new IllegalArgumentException("rank " + rank + " outside 0.." + (count - 1));
        }
        long seen = 0;
        for (Map.Entry<SketchBin, Long> bin : bins) {
            seen += bin.getValue();
            if (seen > rank) {
                return bin.getKey().value();
            }
        }
        throw new IllegalStateException("unreachable: rank below count");
    }

    /**
     * The q-quantile: the value of rank ⌊q·(count − 1)⌋, the convention of DDSketch's
     * {@code getValueAtQuantile} and of numpy's {@code quantile(method="lower")}.
     */
    public double quantile(double q) {
        if (count == 0 || !(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("no " + q + "-quantile of " + count + " values");
        }
        return valueAtRank((long) Math.floor(q * (count - 1)));
    }

    /**
     * Σ min(x, cap) and Σ min(x, cap)² over the values, each x read as its bin's value (see
     * {@link PercentileCap} for the resulting error).
     */
    public double[] cappedSums(double cap) {
        double sum = 0;
        double squares = 0;
        for (Map.Entry<SketchBin, Long> bin : bins) {
            double x = Math.min(bin.getKey().value(), cap);
            sum += bin.getValue() * x;
            squares += bin.getValue() * x * x;
        }
        return new double[] {sum, squares};
    }

    /** Bin → count, for the bins holding values. */
    public Map<SketchBin, Long> counts() {
        Map<SketchBin, Long> counts = new HashMap<>();
        bins.forEach(e -> counts.put(e.getKey(), e.getValue()));
        return counts;
    }
}
