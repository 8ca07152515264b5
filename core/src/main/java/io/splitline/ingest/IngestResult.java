package io.splitline.ingest;

import java.util.Comparator;
import java.util.List;

/**
 * Outcome of a batch, like Kinesis PutRecords: every event is exactly one of accepted, duplicate
 * (seen before), ignored (valid, but nothing to count: no exposure, or the experiment is not active) or
 * rejected (with its error).
 */
public record IngestResult(int accepted, int duplicates, int ignored, List<Rejection> rejected) {
    public IngestResult {
        rejected = rejected.stream().sorted(Comparator.comparingInt(Rejection::index)).toList();
    }
}
