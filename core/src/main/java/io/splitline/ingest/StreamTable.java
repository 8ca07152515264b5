package io.splitline.ingest;

/**
 * What the stream fold ({@link StreamAggregator}) keeps beside the ingest layouts ({@link UnitTable},
 * {@link io.splitline.aggregate.AggregateTable}) to apply each stream record exactly once:
 * <ul>
 *   <li>on a unit item: {@code seq} (N), the last stream record folded into it; {@code exposedBy} (N), the record
 *       whose exposure created it; {@code before} (M: record sequence → N), for each record of its last write
 *       that moved a total, that total just before it; {@code segments} (M: dimension → S), the unit's segment
 *       values fixed at its first exposure in the stream (absent without dimensions);</li>
 *   <li>on an aggregate item: {@code applied_<streamShardId>} (N), the last record of that stream shard whose
 *       increments it holds;</li>
 *   <li>in {@code AggregatesTable}, one item per stream shard, {@code pk = "stream#<streamShardId>"},
 *       {@code sk = "decided"}: {@code seq} (N), up to which record every unit write of the shard is done.</li>
 * </ul>
 */
public final class StreamTable {
    public static final String SEQUENCE = "seq";
    public static final String EXPOSED_BY = "exposedBy";
    public static final String BEFORE = "before";
    public static final String SEGMENTS = "segments";
    public static final String DECIDED_SK = "decided";

    private StreamTable() {
    }

    /** The applied-marker attribute of a stream shard on an aggregate item. */
    public static String appliedMarker(String streamShard) {
        return "applied_" + streamShard;
    }

    /** The key of a stream shard's decided item. */
    public static String decidedPk(String streamShard) {
        return "stream#" + streamShard;
    }
}
