package io.splitline.aggregate;

import java.time.Instant;
import java.util.List;

/**
 * The totals of every segment of an experiment (or rollout stage) summed over the segment partitions at one
 * moment: what a results call shows as the segments while it is younger than the freshness bound, instead of
 * querying the 16 segment partitions again ({@link SegmentRollups}).
 *
 * @param version    1 for the first roll-up of the key, then one more per recomputation (the conditional write's guard)
 * @param computedAt when the segment partitions were read
 * @param segments   as {@link AggregateReader#segments}: ordered by dimension then value
 */
public record SegmentRollup(long version, Instant computedAt, List<SegmentVariants> segments) {
    public SegmentRollup {
        if (version < 1) {
            throw new IllegalArgumentException("a roll-up's version starts at 1, got " + version);
        }
        segments = List.copyOf(segments);
    }
}
