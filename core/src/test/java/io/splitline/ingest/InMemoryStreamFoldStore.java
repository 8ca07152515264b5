package io.splitline.ingest;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An in-memory twin of {@link StreamFoldStore}, for the fold's exactly-once tests; it prunes retired markers
 * and expires decided points by {@link MarkerPruning}'s rule, on its clock. Thread-safe, each call atomic (as a
 * single-item DynamoDB request is): the aggregator issues a phase's writes from several threads.
 */
final class InMemoryStreamFoldStore implements StreamFoldStore {
    private record Marker(AggregateItem item, String streamShard) {
    }

    final Map<UnitRef, StreamUnit> units = new HashMap<>();
    final Map<AggregateItem, AggregateDelta> aggregates = new HashMap<>();
    private final Map<Marker, BigInteger> markers = new HashMap<>();
    private final Map<String, BigInteger> decided = new HashMap<>();
    private final Map<Marker, Instant> markedAt = new HashMap<>();
    private final Map<String, Instant> decidedExpiry = new HashMap<>();
    private final Clock clock;

    InMemoryStreamFoldStore() {
        this(Clock.systemUTC());
    }

    InMemoryStreamFoldStore(Clock clock) {
        this.clock = clock;
    }

    /** The stream shards whose markers the item holds. */
    synchronized Set<String> markerShards(AggregateItem item) {
        return markers.keySet().stream().filter(m -> m.item().equals(item)).map(Marker::streamShard).collect(Collectors.toSet());
    }

    /** A copy of the aggregate items (what {@link InMemoryAggregateReader} reads). */
    synchronized Map<AggregateItem, AggregateDelta> aggregates() {
        return Map.copyOf(aggregates);
    }

    /** What DynamoDB's TTL does, some time after expiry: deletes the decided points past it. */
    synchronized void expireDecided() {
        Instant now = clock.instant();
        decidedExpiry.forEach((shard, at) -> {
            if (!now.isBefore(at)) {
                decided.remove(shard);
            }
        });
        decidedExpiry.keySet().retainAll(decided.keySet());
    }
    final Map<SlotSet, Set<String>> slots = new HashMap<>();

    /** What {@code /assign} does for a first exposure: the unit item and +1 unit, atomically, outside the stream. */
    synchronized void exposeOutsideStream(UnitRef ref, UnitState state, AggregateItem unitsItem) {
        units.put(ref, new StreamUnit(state, null, null, Map.of()));
        aggregates.merge(unitsItem, new AggregateDelta(1, 0, BigDecimal.ZERO, BigDecimal.ZERO), AggregateDelta::plus);
    }

    @Override
    public synchronized Map<UnitRef, StreamUnit> loadUnits(Collection<UnitRef> refs) {
        Map<UnitRef, StreamUnit> found = new HashMap<>();
        refs.forEach(ref -> {
            if (units.containsKey(ref)) {
                found.put(ref, units.get(ref));
            }
        });
        return found;
    }

    @Override
    public synchronized boolean writeUnit(StreamFold.UnitWrite w) {
        StreamUnit current = units.get(w.ref());
        long version = current == null ? 0 : current.state().version();
        if (version != w.expectedVersion()) {
            return false;
        }
        units.put(w.ref(), w.unit());
        return true;
    }

    @Override
    public synchronized BigInteger decidedThrough(String streamShard) {
        return decided.get(streamShard);
    }

    @Override
    public synchronized void markDecided(String streamShard, BigInteger sequence) {
        if (decided.get(streamShard) == null || decided.get(streamShard).compareTo(sequence) < 0) {
            decided.put(streamShard, sequence);
            decidedExpiry.put(streamShard, Instant.ofEpochSecond(MarkerPruning.decidedExpiresAt(clock.instant())));
        }
    }

    @Override
    public synchronized Map<AggregateItem, BigInteger> appliedMarkers(Collection<AggregateItem> items, String streamShard) {
        Map<AggregateItem, BigInteger> found = new HashMap<>();
        items.forEach(item -> {
            BigInteger m = markers.get(new Marker(item, streamShard));
            if (m != null) {
                found.put(item, m);
            }
        });
        return found;
    }

    @Override
    public synchronized boolean addIfMarker(AggregateItem item, String streamShard, BigInteger expected, BigInteger marker,
                               AggregateDelta delta) {
        Marker key = new Marker(item, streamShard);
        if (!Objects.equals(markers.get(key), expected)) {
            return false;
        }
        aggregates.merge(item, delta, AggregateDelta::plus);
        Instant now = clock.instant();
        Map<String, Instant> others = new HashMap<>();
        markedAt.forEach((m, at) -> {
            if (m.item().equals(item) && !m.streamShard().equals(streamShard)) {
                others.put(m.streamShard(), at);
            }
        });
        for (String retired : MarkerPruning.retired(others, now)) {
            markers.remove(new Marker(item, retired));
            markedAt.remove(new Marker(item, retired));
        }
        markers.put(key, marker);
        markedAt.put(key, now);
        return true;
    }

    @Override
    public synchronized Map<SlotSet, Set<String>> loadSlots(Collection<SlotSet> sets) {
        Map<SlotSet, Set<String>> found = new HashMap<>();
        sets.forEach(set -> {
            if (slots.containsKey(set)) {
                found.put(set, Set.copyOf(slots.get(set)));
            }
        });
        return found;
    }

    @Override
    public synchronized boolean claimSlot(SlotSet set, String value, int max) {
        Set<String> values = slots.computeIfAbsent(set, s -> new HashSet<>());
        if (!values.contains(value) && values.size() >= max) {
            return false;
        }
        values.add(value);
        return true;
    }
}
