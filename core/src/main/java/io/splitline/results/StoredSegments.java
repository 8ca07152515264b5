package io.splitline.results;

import io.splitline.aggregate.SegmentVariants;
import io.splitline.experiment.ExperimentSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored segment aggregates of an experiment as {@link SegmentResults} reads them: each segment's arms as
 * {@link StoredArms} reads the whole experiment's, for the dimensions the definition declares (a dimension removed
 * from the definition is no longer shown, though its items remain).
 */
final class StoredSegments {
    private StoredSegments() {
    }

    static List<SegmentAggregates> of(ExperimentSpec spec, List<SegmentVariants> stored) {
        List<SegmentAggregates> segments = new ArrayList<>();
        for (SegmentVariants s : stored) {
            if (spec.dimensions().contains(s.dimension())) {
                segments.add(new SegmentAggregates(s.dimension(), s.value(), StoredArms.of(spec, s.variants())));
            }
        }
        return segments;
    }
}
