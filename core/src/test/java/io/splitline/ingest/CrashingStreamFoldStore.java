package io.splitline.ingest;

import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * Wraps a {@link StreamFoldStore} so that an invocation can die before any write: after a given number of
 * further writes, the next one throws {@link Crash} without reaching the store. Reads are never refused.
 */
class CrashingStreamFoldStore implements StreamFoldStore {
    /** The invocation died before this write. */
    static final class Crash extends RuntimeException {
        Crash() {
            super("crash injected before a write");
        }
    }

    private final StreamFoldStore store;
    private int writesBeforeCrash = -1;
    /** Writes that reached the store (whatever their condition said). */
    int writes;

    CrashingStreamFoldStore(StreamFoldStore store) {
        this.store = store;
    }

    /** The next {@code writes} writes go through, the one after crashes; negative: never crash. */
    void crashAfter(int writes) {
        writesBeforeCrash = writes;
    }

    void write() {
        if (writesBeforeCrash == 0) {
            writesBeforeCrash = -1;
            throw new Crash();
        }
        if (writesBeforeCrash > 0) {
            writesBeforeCrash--;
        }
        writes++;
    }

    @Override
    public Map<UnitRef, StreamUnit> loadUnits(Collection<UnitRef> refs) {
        return store.loadUnits(refs);
    }

    @Override
    public boolean writeUnit(StreamFold.UnitWrite write) {
        write();
        return store.writeUnit(write);
    }

    @Override
    public BigInteger decidedThrough(String streamShard) {
        return store.decidedThrough(streamShard);
    }

    @Override
    public void markDecided(String streamShard, BigInteger sequence) {
        write();
        store.markDecided(streamShard, sequence);
    }

    @Override
    public Map<AggregateItem, BigInteger> appliedMarkers(Collection<AggregateItem> items, String streamShard) {
        return store.appliedMarkers(items, streamShard);
    }

    @Override
    public boolean addIfMarker(AggregateItem item, String streamShard, BigInteger expected, BigInteger marker,
                               AggregateDelta delta) {
        write();
        return store.addIfMarker(item, streamShard, expected, marker, delta);
    }

    @Override
    public Map<SlotSet, Set<String>> loadSlots(Collection<SlotSet> sets) {
        return store.loadSlots(sets);
    }

    @Override
    public boolean claimSlot(SlotSet set, String value, int slots) {
        write();
        return store.claimSlot(set, value, slots);
    }
}
