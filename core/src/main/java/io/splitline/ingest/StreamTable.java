package io.splitline.ingest;

/**
 * What the stream fold ({@link StreamAggregator}) keeps beside the ingest layouts ({@link UnitTable},
 * {@link io.splitline.aggregate.AggregateTable}) to apply each stream record exactly once:
 * <ul>
 *   <li>on a unit item: {@code seq} (S), the last stream record folded into it; {@code exposedBy} (S), the record
 *       whose exposure created it; {@code before} (M: record sequence → L [S metric, N total]), for each record
 *       of its last write that moved a total, its metric and that total just before it; {@code segments} (M: dimension → S), the unit's segment
 *       values fixed at its first exposure in the stream (absent without dimensions);</li>
 *   <li>on an aggregate item: {@code applied_<streamShardId>} (S), the last record of that stream shard whose
 *       increments it holds, and {@code appliedAt_<streamShardId>} (N, epoch seconds), when it was written
 *       ({@link MarkerPruning});</li>
 *   <li>in {@code AggregatesTable}, one item per stream shard, {@code pk = "stream#<streamShardId>"},
 *       {@code sk = "decided"}: {@code seq} (S), up to which record every unit write of the shard is done, and
 *       {@code expiresAt} (N, epoch seconds), the table's TTL attribute ({@link MarkerPruning}).</li>
 * </ul>
 * Sequence numbers (S) are {@value #SEQUENCE_DIGITS} digits, zero-padded: a stream gives 21 to 40 digits, a DynamoDB
 * number holds 38, and padded text compares in numeric order (the decided point's condition relies on it).
 */
public final class StreamTable {
    public static final String SEQUENCE = "seq";
    public static final String EXPOSED_BY = "exposedBy";
    public static final String BEFORE = "before";
    public static final String SEGMENTS = "segments";
    public static final String DECIDED_SK = "decided";
    /** The width of a stored sequence number: the longest a DynamoDB stream gives. */
    public static final int SEQUENCE_DIGITS = 40;
    public static final String EXPIRES_AT = "expiresAt";
    private static final String APPLIED = "applied_";
    private static final String APPLIED_AT = "appliedAt_";

    private StreamTable() {
    }

    /** The applied-marker attribute of a stream shard on an aggregate item. */
    public static String appliedMarker(String streamShard) {
        return APPLIED + streamShard;
    }

    /** When a stream shard's applied marker on an aggregate item was last written (epoch seconds). */
    public static String appliedAt(String streamShard) {
        return APPLIED_AT + streamShard;
    }

    /** The stream shard whose write time an attribute holds, or null if it is no {@link #appliedAt} attribute. */
    public static String appliedAtShard(String attribute) {
        return attribute.startsWith(APPLIED_AT) ? attribute.substring(APPLIED_AT.length()) : null;
    }

    /** The key of a stream shard's decided item. */
    public static String decidedPk(String streamShard) {
        return "stream#" + streamShard;
    }
}
