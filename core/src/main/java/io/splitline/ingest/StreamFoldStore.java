package io.splitline.ingest;

import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * The port through which the {@link StreamAggregator} reads and writes unit items, the per-stream-shard
 * progress of its unit writes and the aggregate items with their per-stream-shard applied markers. No
 * write spans two items: exactly-once rests on each write's condition. The DynamoDB implementation is
 * {@code DynamoDbStreamFoldStore} (module {@code dynamodb}).
 */
public interface StreamFoldStore {
    /**
     * Sketch bin counters per aggregate update ({@link #addIfMarker}'s delta): keeps one update's expression (about
     * 12 characters per counter) far below DynamoDB's 4 KB expression limit. The {@link StreamAggregator} applies
     * an item's increments in steps of at most this many counters.
     */
    int MAX_BINS_PER_UPDATE = 64;

    /** Stored units (consistent reads); units without an item are absent. */
    Map<UnitRef, StreamUnit> loadUnits(Collection<UnitRef> refs);

    /**
     * Writes the unit if its stored version is still {@code write.expectedVersion()} (0: no item yet).
     *
     * @return false when the condition failed (something else wrote the unit); nothing was written
     */
    boolean writeUnit(StreamFold.UnitWrite write);

    /** Up to which sequence number every record of this stream shard has been decided (null: none yet). */
    BigInteger decidedThrough(String streamShard);

    /**
     * Records that every record of the stream shard up to {@code sequence} has been decided; the record may
     * expire {@link MarkerPruning#RETIRE_AFTER} later unless moved again.
     */
    void markDecided(String streamShard, BigInteger sequence);

    /**
     * The applied markers of these aggregate items for one stream shard (consistent reads): the item holds
     * the increments of every record of the shard up to its marker. Items without a marker are absent.
     */
    Map<AggregateItem, BigInteger> appliedMarkers(Collection<AggregateItem> items, String streamShard);

    /**
     * Adds the increment and moves the item's marker to {@code marker}, on condition that its marker is still
     * {@code expected} (null: no marker yet). The same write stamps the marker with the time and removes the
     * markers of other stream shards that {@link MarkerPruning} retires, as the last {@link #appliedMarkers} read
     * of the item for this shard found them; a marker written again since is kept (the write leaves it, or is
     * refused). The delta holds at most {@link #MAX_BINS_PER_UPDATE} sketch bin counters.
     *
     * @return false when the condition failed; nothing was written
     */
    boolean addIfMarker(AggregateItem item, String streamShard, BigInteger expected, BigInteger marker,
                        AggregateDelta delta);

    /** The slotted values of these slot sets (consistent reads); sets without an item are absent. */
    Map<SlotSet, Set<String>> loadSlots(Collection<SlotSet> sets);

    /**
     * Adds {@code value} to the slot set on condition that it is already there or the set holds fewer than
     * {@code slots} values (so a set never exceeds {@code slots}, whoever claims at once).
     *
     * @return false when the set was full without the value; nothing was written
     */
    boolean claimSlot(SlotSet set, String value, int slots);
}
