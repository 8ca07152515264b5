package io.splitline.definitions;

import io.splitline.assignment.ExperimentAssigner;
import io.splitline.experiment.Experiment;
import io.splitline.experiment.ExperimentJson;
import io.splitline.rollout.Rollout;
import io.splitline.rollout.RolloutJson;
import io.splitline.store.DefinitionKind;
import io.splitline.store.DefinitionStore;
import io.splitline.store.StoredDefinition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The definitions (experiments and rollouts) a warm container serves from memory. A snapshot is reused until it is older than the
 * TTL, so a warm {@code /assign} reads nothing from DynamoDB; a change made through the management API
 * reaches every container within one TTL. Unchanged definitions (same version) keep their compiled
 * assigner across reloads.
 */
public final class DefinitionCache {
    /** How stale a snapshot may be when a caller asks for a key it does not know (or knows as stopped). */
    public static final Duration MISS_REFRESH = Duration.ofSeconds(1);

    private final DefinitionStore store;
    private final Duration ttl;
    private final Clock clock;
    private volatile DefinitionSnapshot snapshot;
    private Map<String, Compiled> compiled = Map.of();

    private record Compiled(long version, ExperimentAssigner assigner) {
    }

    public DefinitionCache(DefinitionStore store, Duration ttl, Clock clock) {
        this.store = store;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The current snapshot, reloaded first when it is older than the TTL. */
    public DefinitionSnapshot current() {
        DefinitionSnapshot s = snapshot;
        if (s != null && fresh(s)) {
            return s;
        }
        synchronized (this) {
            s = snapshot;
            if (s == null || !fresh(s)) {
                s = load();
                snapshot = s;
            }
            return s;
        }
    }

    /**
     * The current snapshot, reloaded first when it is older than {@code maxAge}. Callers use it when a
     * key is missing or stopped in the cached snapshot: a definition created or started a moment ago
     * is then seen at once, while unknown keys cost at most one reload per {@code maxAge}.
     */
    public DefinitionSnapshot refreshedWithin(Duration maxAge) {
        DefinitionSnapshot s = current();
        if (clock.instant().isBefore(s.loadedAt().plus(maxAge))) {
            return s;
        }
        synchronized (this) {
            s = snapshot;
            if (s == null || !clock.instant().isBefore(s.loadedAt().plus(maxAge))) {
                s = load();
                snapshot = s;
            }
            return s;
        }
    }

    private boolean fresh(DefinitionSnapshot s) {
        return clock.instant().isBefore(s.loadedAt().plus(ttl));
    }

    private DefinitionSnapshot load() {
        Instant now = clock.instant();
        Map<String, Compiled> next = new HashMap<>();
        Map<String, ExperimentAssigner> experiments = new HashMap<>();
        for (StoredDefinition stored : store.list(DefinitionKind.EXPERIMENT)) {
            Compiled c = compiled.get(stored.key());
            if (c == null || c.version() != stored.version()) {
                Experiment experiment = ExperimentJson.fromJson(stored.body());
                c = new Compiled(stored.version(), ExperimentAssigner.of(experiment));
            }
            next.put(stored.key(), c);
            experiments.put(stored.key(), c.assigner());
        }
        compiled = next;
        Map<String, Rollout> rollouts = new HashMap<>();
        for (StoredDefinition stored : store.list(DefinitionKind.ROLLOUT)) {
            rollouts.put(stored.key(), RolloutJson.fromJson(stored.body()));
        }
        return new DefinitionSnapshot(experiments, rollouts, now);
    }
}
