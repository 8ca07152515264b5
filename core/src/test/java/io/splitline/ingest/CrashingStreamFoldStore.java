package io.splitline.ingest;

import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * Wraps a {@link StreamFoldStore} so that an invocation can die before any write: after a given number of
 * further writes, the next one throws {@link Crash} without reaching the store, and so does every write after it
 * (the writes of the phase in flight beside it: the invocation is dead) until the store is read again, which only
 * a new invocation does (an invocation reads nothing while a phase's writes are in flight). Exactly the given number
 * of writes reach the store; when a phase writes concurrently, which ones is not determined, so tests assert end
 * states that hold for any of them. Reads are never refused. Thread-safe.
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
    private boolean dead;
    /** Writes that reached the store (whatever their condition said). */
    volatile int writes;

    CrashingStreamFoldStore(StreamFoldStore store) {
        this.store = store;
    }

    /** The next {@code writes} writes go through, the one after crashes; negative: never crash. */
    synchronized void crashAfter(int writes) {
        writesBeforeCrash = writes;
        dead = false;
    }

    /** A write is about to be made: counts it, or throws {@link Crash} at the crash point and after it. */
    synchronized void write() {
        if (dead || writesBeforeCrash == 0) {
            writesBeforeCrash = -1;
            dead = true;
            throw new Crash();
        }
        if (writesBeforeCrash > 0) {
            writesBeforeCrash--;
        }
        writes++;
    }

    /** A read: a new invocation has started, the dead one's writes are over. */
    synchronized void read() {
        dead = false;
    }

    @Override
    public Map<UnitRef, StreamUnit> loadUnits(Collection<UnitRef> refs) {
        read();
        return store.loadUnits(refs);
    }

    @Override
    public boolean writeUnit(StreamFold.UnitWrite write) {
        write();
        return store.writeUnit(write);
    }

    @Override
    public BigInteger decidedThrough(String streamShard) {
        read();
        return store.decidedThrough(streamShard);
    }

    @Override
    public void markDecided(String streamShard, BigInteger sequence) {
        write();
        store.markDecided(streamShard, sequence);
    }

    @Override
    public Map<AggregateItem, BigInteger> appliedMarkers(Collection<AggregateItem> items, String streamShard) {
        read();
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
        read();
        return store.loadSlots(sets);
    }

    @Override
    public boolean claimSlot(SlotSet set, String value, int slots) {
        write();
        return store.claimSlot(set, value, slots);
    }
}
