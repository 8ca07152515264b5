package io.splitline.ingest;

import io.splitline.aggregate.AggregateTable;
import io.splitline.aggregate.Shards;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records the first exposure of units, as {@code /assign} with {@code track: true} does: the unit item
 * is created on condition that it does not exist, together with +1 on its variant's unit count, in one
 * transaction — so the count grows exactly once per unit whatever the retries. A unit already exposed
 * (its item found by a consistent read after the condition failed) is left alone. Recently recorded
 * units are remembered per container so that a warm repeat call writes nothing.
 */
public final class ExposureRecorder {
    /** One first exposure to record, with the CUPED covariates {@code /assign} was given (metric → x). */
    public record Exposure(UnitRef unit, String variant, Map<String, BigDecimal> covariates) {
        public Exposure {
            covariates = Map.copyOf(covariates);
        }

        /** An exposure without covariates. */
        public Exposure(UnitRef unit, String variant) {
            this(unit, variant, Map.of());
        }
    }

    private static final int MAX_ATTEMPTS = 20;
    private static final int REMEMBERED = 100_000;

    private final IngestStore store;
    private final Clock clock;
    private final Set<UnitRef> recorded = Collections.newSetFromMap(new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UnitRef, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    public ExposureRecorder(IngestStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Records those of these exposures that are first exposures; returns how many were new. */
    public int record(List<Exposure> exposures) {
        Map<UnitRef, Exposure> unique = new LinkedHashMap<>();
        synchronized (recorded) {
            for (Exposure e : exposures) {
                if (!recorded.contains(e.unit())) {
                    unique.putIfAbsent(e.unit(), e);
                }
            }
        }
        List<Exposure> todo = new ArrayList<>(unique.values());
        int created = 0;
        int attempts = 0;
        while (!todo.isEmpty()) {
            List<Exposure> chunk = todo.subList(0, Math.min(todo.size(), WriteSet.MAX_ITEMS / 2));
            try {
                store.commit(writes(chunk, clock.instant()), clock.instant());
                created += chunk.size();
                remember(chunk);
                chunk.clear();
            } catch (CommitConflictException conflict) {
                if (++attempts > MAX_ATTEMPTS) {
                    throw new IllegalStateException("could not record exposures after " + MAX_ATTEMPTS + " attempts", conflict);
                }
                // A unit that fails "does not exist" was probably exposed before; only a consistent read that
                // finds its item proves it (then there is nothing to do for it), else it is tried again.
                Set<UnitRef> stored = conflict.staleUnits().isEmpty() ? Set.of() : store.loadUnits(conflict.staleUnits()).keySet();
                List<Exposure> known = chunk.stream().filter(e -> stored.contains(e.unit())).toList();
                remember(known);
                chunk.removeAll(known);
                if (known.isEmpty()) {
                    Backoff.pause(attempts);
                }
            }
        }
        return created;
    }

    private void remember(List<Exposure> exposures) {
        synchronized (recorded) {
            exposures.forEach(e -> recorded.add(e.unit()));
        }
    }

    private static WriteSet writes(List<Exposure> exposures, Instant now) {
        WriteSet set = new WriteSet();
        for (Exposure e : exposures) {
            UnitRef ref = e.unit();
            UnitState exposed = new UnitState(e.variant(), now.toString(), 1, Map.of(), e.covariates());
            set.units.put(ref, new WriteSet.UnitWrite(ref, exposed, 0));
            UnitEffects.firstExposure(AggregateTable.pk(ref.key(), ref.scope(), Shards.of(ref.unitId())), exposed, set::addAggregate);
        }
        return set;
    }
}
