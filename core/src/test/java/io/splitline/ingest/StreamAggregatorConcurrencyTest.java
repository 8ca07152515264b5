package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.aggregate.AggregateTable;
import io.splitline.aggregate.Shards;
import java.math.BigInteger;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fold's writes of one phase are in flight together ({@link ConcurrentWrites}), up to the bound and not past it,
 * and exactly-once holds with them: a crash while a phase's writes are in flight together leaves any subset of them
 * applied, and the retried (whole or bisected) batch gives the ground truth; a unit written by another writer while
 * the fold's unit writes are in flight is refused, reloaded and folded again, exactly. A {@link Gate} holds each
 * write until as many writes of its phase as can be are in flight together (so no assertion rests on timing), and
 * counts them.
 */
class StreamAggregatorConcurrencyTest {
    private static final String SHARD = DerivedCovariatesTest.SHARD;
    private static final int MOST = ConcurrentWrites.IN_FLIGHT;

    /** One stream shard's records of ~100 units: keyless history, exposures to two experiments, metrics after. */
    private static List<StreamRecord> batch() {
        return DerivedCovariatesTest.generate(41, 200).byShard().get(SHARD);
    }

    private static Map<String, AggregateDelta> truth(List<StreamRecord> batch) {
        return DerivedCovariatesTest.groundTruth(new StreamAggregatorTest.Stream(Map.of(SHARD, batch)));
    }

    /** How many writes of each kind one clean fold of the batch makes (a gate that holds nothing counts them). */
    private static Map<String, Integer> phaseSizes(List<StreamRecord> batch) {
        Gate counting = new Gate(Map.of());
        new StreamAggregator(counting.folds(new InMemoryStreamFoldStore()), counting.histories(new InMemoryUnitHistoryStore()),
                DerivedCovariatesTest.TARGETS).apply(SHARD, batch);
        return counting.counts();
    }

    /** A gate that holds each phase's writes until min(bound, the phase's writes) are in flight together. */
    private static Gate gate(Map<String, Integer> sizes, int bound) {
        Map<String, Integer> targets = new HashMap<>();
        sizes.forEach((kind, n) -> targets.put(kind, Math.min(bound, n)));
        return new Gate(targets);
    }

    @Test
    void eachPhaseKeepsItsWritesInFlightTogether_upToTheBound_andGivesTheGroundTruth() {
        List<StreamRecord> batch = batch();
        Map<String, Integer> sizes = phaseSizes(batch);
        assertTrue(sizes.get(Gate.HISTORY) > MOST && sizes.get(Gate.UNIT) > MOST && sizes.get(Gate.AGGREGATE) > 1,
                "phases larger than the bound: " + sizes);
        InMemoryStreamFoldStore store = new InMemoryStreamFoldStore();
        Gate gate = gate(sizes, MOST);

        new StreamAggregator(gate.folds(store), gate.histories(new InMemoryUnitHistoryStore()), DerivedCovariatesTest.TARGETS)
                .apply(SHARD, batch);

        assertEquals(MOST, gate.most(Gate.HISTORY), "history writes in flight together");
        assertEquals(MOST, gate.most(Gate.UNIT), "unit writes in flight together");
        assertEquals(Math.min(MOST, sizes.get(Gate.AGGREGATE)), gate.most(Gate.AGGREGATE), "aggregate writes in flight together");
        assertEquals(1, gate.most(Gate.DECIDED));
        StreamAggregatorTest.assertEqualSums(truth(batch), StreamAggregatorTest.summed(store));
    }

    @Test
    void oneWriteInFlight_writesOneAfterAnother() {
        List<StreamRecord> batch = batch();
        Gate gate = new Gate(Map.of());
        InMemoryStreamFoldStore store = new InMemoryStreamFoldStore();

        new StreamAggregator(gate.folds(store), gate.histories(new InMemoryUnitHistoryStore()), DerivedCovariatesTest.TARGETS,
                datum -> { }, Clock.systemUTC(), 1).apply(SHARD, batch);

        assertEquals(Map.of(Gate.HISTORY, 1, Gate.UNIT, 1, Gate.DECIDED, 1, Gate.AGGREGATE, 1), gate.mostByKind());
        StreamAggregatorTest.assertEqualSums(truth(batch), StreamAggregatorTest.summed(store));
    }

    /**
     * A crash at the middle of the first writes a phase has in flight together (histories, units, aggregate items):
     * exactly that many of them land, which ones is a race; the retry (bisected, then the whole batch re-delivered)
     * gives the ground truth.
     */
    @ParameterizedTest
    @ValueSource(strings = {Gate.HISTORY, Gate.UNIT, Gate.AGGREGATE})
    void aCrashWhileAPhasesWritesAreInFlightTogether_thenTheRetry_givesTheGroundTruth(String phase) {
        List<StreamRecord> batch = batch();
        Map<String, Integer> sizes = phaseSizes(batch);
        int before = switch (phase) {
            case Gate.HISTORY -> 0;
            case Gate.UNIT -> sizes.get(Gate.HISTORY);
            default -> sizes.get(Gate.HISTORY) + sizes.get(Gate.UNIT) + sizes.get(Gate.DECIDED);
        };
        int crashAfter = before + Math.min(MOST, sizes.get(phase)) / 2;
        InMemoryStreamFoldStore store = new InMemoryStreamFoldStore();
        CrashingStreamFoldStore crashing = new CrashingStreamFoldStore(store);
        Gate gate = gate(sizes, MOST);
        StreamAggregator aggregator = new StreamAggregator(gate.folds(crashing),
                gate.histories(new CrashingUnitHistoryStore(new InMemoryUnitHistoryStore(), crashing)), DerivedCovariatesTest.TARGETS);

        crashing.crashAfter(crashAfter);
        assertThrows(CrashingStreamFoldStore.Crash.class, () -> aggregator.apply(SHARD, batch));
        assertEquals(crashAfter, crashing.writes, "writes that landed before the invocation died");
        assertEquals(Math.min(MOST, sizes.get(phase)), gate.most(phase), "the crash came while the phase's writes were in flight together");
        gate.open();
        aggregator.apply(SHARD, batch.subList(0, batch.size() / 2));
        aggregator.apply(SHARD, batch.subList(batch.size() / 2, batch.size()));
        aggregator.apply(SHARD, batch);

        StreamAggregatorTest.assertEqualSums(truth(batch), StreamAggregatorTest.summed(store));
    }

    /**
     * While the fold's unit writes are held in flight together, another writer (what {@code /assign} did on design A)
     * exposes one of the batch's units: that unit's write is refused, the units are reloaded and the batch folded
     * again, and the aggregates are the ground truth (the outside exposure, same variant and time, counts the unit
     * the batch's exposure would have counted).
     */
    @Test
    void aUnitWrittenByAnotherWriterWhileTheUnitWritesAreInFlight_isReloadedAndFoldedExactly() {
        List<StreamRecord> batch = StreamAggregatorTest.generate(43, 200).byShard().get(StreamAggregatorTest.SHARDS.get(0));
        String shard = StreamAggregatorTest.SHARDS.get(0);
        Set<String> exposed = new java.util.HashSet<>();
        StreamRecord exposure = batch.stream().filter(r -> r.event().type() == EventType.EXPOSURE && r.event().key().equals("exp-a"))
                .filter(r -> exposed.add(r.event().unitId())) // the unit's first exposure to exp-a
                .filter(r -> r.event().covariates().isEmpty() && StreamAggregatorTest.armOf(r.event().unitId()).isPresent())
                .findFirst().orElseThrow();
        String unit = exposure.event().unitId();
        String variant = StreamAggregatorTest.armOf(unit).orElseThrow();
        UnitRef ref = new UnitRef("exp-a", IngestTarget.EXPERIMENT_SCOPE, unit);
        InMemoryStreamFoldStore store = new InMemoryStreamFoldStore();
        Gate gate = new Gate(Map.of(Gate.UNIT, MOST));
        gate.whenHeld(Gate.UNIT, () -> store.exposeOutsideStream(ref,
                new UnitState(variant, exposure.event().timestamp().toString(), 1, Map.of()),
                new AggregateItem(AggregateTable.pk("exp-a", IngestTarget.EXPERIMENT_SCOPE, Shards.of(unit)),
                        AggregateTable.unitsSk(variant))));

        new StreamAggregator(gate.folds(store), StreamAggregatorTest.TARGETS).apply(shard, batch);

        assertEquals(MOST, gate.most(Gate.UNIT), "unit writes in flight together");
        assertEquals(1, gate.refused(Gate.UNIT), "the unit the other writer wrote was refused once, then written");
        assertEquals(2, store.units.get(ref).state().version(), "the outside write, then the fold's");
        StreamAggregatorTest.assertEqualSums(StreamAggregatorTest.groundTruth(new StreamAggregatorTest.Stream(Map.of(shard, batch))),
                StreamAggregatorTest.summed(store));
    }

    /**
     * Holds each write until {@code target} writes of its kind are in flight together (a kind without a target, or an
     * opened gate, holds nothing), then lets them all go; counts writes, refusals and the most in flight per kind.
     * A held write gives up after a minute (then the "most in flight" assertion fails; nothing hangs).
     */
    static final class Gate {
        static final String HISTORY = "history";
        static final String UNIT = "unit";
        static final String DECIDED = "decided";
        static final String AGGREGATE = "aggregate";
        static final String CLAIM = "claim";

        private final Map<String, Integer> targets;
        private final Map<String, Integer> inFlight = new HashMap<>();
        private final Map<String, Integer> most = new HashMap<>();
        private final Map<String, Integer> counts = new HashMap<>();
        private final Map<String, Integer> refused = new HashMap<>();
        private final Map<String, Runnable> whenHeld = new HashMap<>();
        private final Set<String> released = new java.util.HashSet<>();
        private boolean open;

        Gate(Map<String, Integer> targets) {
            this.targets = Map.copyOf(targets);
        }

        /** Runs {@code action} once, while the first {@code target} writes of {@code kind} are held together. */
        synchronized void whenHeld(String kind, Runnable action) {
            whenHeld.put(kind, action);
        }

        synchronized void open() {
            open = true;
            notifyAll();
        }

        synchronized int most(String kind) {
            return most.getOrDefault(kind, 0);
        }

        synchronized Map<String, Integer> mostByKind() {
            return Map.copyOf(most);
        }

        synchronized Map<String, Integer> counts() {
            return Map.copyOf(counts);
        }

        synchronized int refused(String kind) {
            return refused.getOrDefault(kind, 0);
        }

        <T> T write(String kind, java.util.function.Supplier<T> write) {
            enter(kind);
            try {
                T answer = write.get();
                if (Boolean.FALSE.equals(answer)) {
                    synchronized (this) {
                        refused.merge(kind, 1, Integer::sum);
                    }
                }
                return answer;
            } finally {
                synchronized (this) {
                    inFlight.merge(kind, -1, Integer::sum);
                }
            }
        }

        private synchronized void enter(String kind) {
            int now = inFlight.merge(kind, 1, Integer::sum);
            most.merge(kind, now, Math::max);
            counts.merge(kind, 1, Integer::sum);
            int target = targets.getOrDefault(kind, 1);
            if (now >= target && !released.contains(kind)) {
                released.add(kind);
                Runnable action = whenHeld.remove(kind);
                if (action != null) {
                    action.run();
                }
                notifyAll();
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (!open && !released.contains(kind)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    released.add(kind);
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }

        StreamFoldStore folds(StreamFoldStore store) {
            return new StreamFoldStore() {
                @Override
                public Map<UnitRef, StreamUnit> loadUnits(Collection<UnitRef> refs) {
                    return store.loadUnits(refs);
                }

                @Override
                public boolean writeUnit(StreamFold.UnitWrite write) {
                    return write(UNIT, () -> store.writeUnit(write));
                }

                @Override
                public BigInteger decidedThrough(String streamShard) {
                    return store.decidedThrough(streamShard);
                }

                @Override
                public void markDecided(String streamShard, BigInteger sequence) {
                    write(DECIDED, () -> {
                        store.markDecided(streamShard, sequence);
                        return null;
                    });
                }

                @Override
                public Map<AggregateItem, BigInteger> appliedMarkers(Collection<AggregateItem> items, String streamShard) {
                    return store.appliedMarkers(items, streamShard);
                }

                @Override
                public boolean addIfMarker(AggregateItem item, String streamShard, BigInteger expected, BigInteger marker,
                                           AggregateDelta delta) {
                    return write(AGGREGATE, () -> store.addIfMarker(item, streamShard, expected, marker, delta));
                }

                @Override
                public Map<SlotSet, Set<String>> loadSlots(Collection<SlotSet> sets) {
                    return store.loadSlots(sets);
                }

                @Override
                public boolean claimSlot(SlotSet set, String value, int slots) {
                    return write(CLAIM, () -> store.claimSlot(set, value, slots));
                }
            };
        }

        UnitHistoryStore histories(UnitHistoryStore store) {
            return new UnitHistoryStore() {
                @Override
                public Map<String, UnitHistory> load(Collection<String> unitIds) {
                    return store.load(unitIds);
                }

                @Override
                public boolean write(String unitId, UnitHistory history) {
                    return Gate.this.write(HISTORY, () -> store.write(unitId, history));
                }
            };
        }
    }
}
