package io.splitline.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * When the stream fold's per-shard bookkeeping may go, so that it does not accumulate with every stream
 * shard DynamoDB ever opens (shards roll over every few hours). A shard's applied marker on an aggregate
 * item, and its decided item, only matter while a batch holding records at or below them can still be
 * delivered. Lambda delivers no record older than the mapping's {@code MaximumRecordAgeInSeconds} (6 h in
 * template.yaml, and never more than the stream's 24 h retention), and every record at or below a marker was
 * written before the marker was. So once a marker was last written more than {@link #RETIRE_AFTER} ago, every
 * batch still to come for its shard holds only records after it: the marker may be removed (the next batch
 * then finds none and applies all its records, which is what the marker would have let through), and the
 * decided item may expire likewise.
 *
 * <p>Pruning happens in the fold's own writes: each marker is stamped with the time it was written
 * ({@link StreamTable#appliedAt}), and each conditional increment of an aggregate item also removes the
 * markers of other shards written before the cutoff, on condition that they still are (a shard that wrote
 * its marker meanwhile keeps it). The decided item carries {@code expiresAt}, the table's TTL attribute.
 */
public final class MarkerPruning {
    /** Twice the stream's retention: well past the oldest record Lambda may still deliver. */
    public static final Duration RETIRE_AFTER = Duration.ofHours(48);

    private MarkerPruning() {
    }

    /** Markers last written before this instant may be removed. */
    public static Instant cutoff(Instant now) {
        return now.minus(RETIRE_AFTER);
    }

    /** Of an item's markers, by stream shard with the time each was last written: the shards whose markers may go. */
    public static Set<String> retired(Map<String, Instant> writtenAt, Instant now) {
        Instant cutoff = cutoff(now);
        return writtenAt.entrySet().stream().filter(e -> e.getValue().isBefore(cutoff))
                .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
    }

    /** When a shard's decided item, moved now, may expire (epoch seconds, for the table's TTL). */
    public static long decidedExpiresAt(Instant now) {
        return now.plus(RETIRE_AFTER).getEpochSecond();
    }
}
