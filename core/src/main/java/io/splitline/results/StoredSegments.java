package io.splitline.results;

import io.splitline.aggregate.AggregateReader;
import io.splitline.aggregate.SegmentVariants;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.ingest.IngestTarget;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored segment aggregates of an experiment as {@link SegmentResults} reads them: each segment's arms as
 * {@link StoredArms} reads the whole experiment's, for the dimensions the definition declares. An experiment
 * without dimensions reads nothing (no Query is spent on its empty segment partition).
 */
final class StoredSegments {
    private StoredSegments() {
    }

    static List<SegmentAggregates> of(ExperimentSpec spec, AggregateReader aggregates) {
        if (spec.dimensions().isEmpty()) {
            return List.of();
        }
        List<SegmentAggregates> segments = new ArrayList<>();
        for (SegmentVariants s : aggregates.segments(spec.key(), IngestTarget.EXPERIMENT_SCOPE)) {
            if (spec.dimensions().contains(s.dimension())) {
                segments.add(new SegmentAggregates(s.dimension(), s.value(), StoredArms.of(spec, s.variants())));
            }
        }
        return segments;
    }
}
