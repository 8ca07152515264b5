package io.splitline.definitions;

import io.splitline.assignment.ExperimentAssigner;
import io.splitline.experiment.Experiment;
import io.splitline.experiment.ExperimentStoreCodec;
import io.splitline.holdout.Holdout;
import io.splitline.holdout.HoldoutStoreCodec;
import io.splitline.rollout.Rollout;
import io.splitline.rollout.RolloutStoreCodec;
import io.splitline.store.DefinitionKind;
import io.splitline.store.DefinitionStore;
import io.splitline.store.StoredDefinition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The definitions (experiments, rollouts and holdouts) a warm container serves from memory. A snapshot is reused
 * until it is older than the TTL, so a warm {@code /assign} reads nothing from DynamoDB; a change made
 * through the management API reaches every container within one TTL (plus the {@code by-kind} index's
 * propagation, usually well under a second). Unchanged definitions (same version) keep their compiled
 * assigner across reloads.
 *
 * <p>Only a change that ends a refusal is not left to the TTL: a key the snapshot does not know (created
 * a moment ago) or knows as not yet running (a draft just started, a paused experiment just resumed) is
 * confirmed with a consistent read of its item before the caller answers {@code unknown_key},
 * {@code not_found} or {@code not_running}, and what that read finds is served from then on. The reads
 * are bounded whatever callers send: one per key per {@link #CONFIRM_INTERVAL}, and at most
 * {@link #MAX_CONFIRMED_KEYS} distinct keys per interval (beyond that a key is answered from the snapshot
 * until the interval passes), so a flood of random keys costs a fixed number of reads per second.
 */
public final class DefinitionCache {
    /** A key is confirmed at most once per interval, per container. */
    public static final Duration CONFIRM_INTERVAL = Duration.ofSeconds(1);
    /** Distinct keys confirmed per interval, per container. */
    public static final int MAX_CONFIRMED_KEYS = 64;

    private final DefinitionStore store;
    private final Duration ttl;
    private final Clock clock;
    private volatile DefinitionSnapshot snapshot;
    private Map<String, Compiled> compiled = Map.of();
    /** When each key confirmed within the last interval was read; guarded by {@code this}. */
    private final Map<String, Instant> confirmedAt = new HashMap<>();

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
     * The snapshot to answer these keys from: the current one, after confirming each key it does not
     * know or knows as not yet running ({@link DefinitionSnapshot#mayHaveStarted}) with a consistent
     * read, as far as the read budget allows. Keys the snapshot serves as they are cost nothing.
     */
    public DefinitionSnapshot confirmed(Collection<String> keys) {
        DefinitionSnapshot s = current();
        for (String key : keys) {
            if (s.mayHaveStarted(key)) {
                s = confirm(key);
            }
        }
        return s;
    }

    private synchronized DefinitionSnapshot confirm(String key) {
        Instant now = clock.instant();
        confirmedAt.values().removeIf(at -> !now.isBefore(at.plus(CONFIRM_INTERVAL)));
        if (confirmedAt.containsKey(key) || confirmedAt.size() >= MAX_CONFIRMED_KEYS) {
            return snapshot;
        }
        confirmedAt.put(key, now);
        Optional<StoredDefinition> stored = store.find(key);
        if (stored.isEmpty()) {
            return snapshot;
        }
        StoredDefinition d = stored.get();
        if (d.kind() == DefinitionKind.EXPERIMENT) {
            Compiled c = compile(d);
            Map<String, Compiled> next = new HashMap<>(compiled);
            next.put(key, c);
            compiled = next;
            snapshot = snapshot.withExperiment(key, c.assigner());
        } else if (d.kind() == DefinitionKind.HOLDOUT) {
            snapshot = snapshot.withHoldout(key, HoldoutStoreCodec.decode(d));
        } else {
            snapshot = snapshot.withRollout(key, RolloutStoreCodec.decode(d));
        }
        return snapshot;
    }

    private boolean fresh(DefinitionSnapshot s) {
        return clock.instant().isBefore(s.loadedAt().plus(ttl));
    }

    private Compiled compile(StoredDefinition stored) {
        Compiled c = compiled.get(stored.key());
        if (c == null || c.version() != stored.version()) {
            Experiment experiment = ExperimentStoreCodec.decode(stored);
            c = new Compiled(stored.version(), ExperimentAssigner.of(experiment));
        }
        return c;
    }

    private DefinitionSnapshot load() {
        Instant now = clock.instant();
        Map<String, Compiled> next = new HashMap<>();
        Map<String, ExperimentAssigner> experiments = new HashMap<>();
        for (StoredDefinition stored : store.list(DefinitionKind.EXPERIMENT)) {
            Compiled c = compile(stored);
            next.put(stored.key(), c);
            experiments.put(stored.key(), c.assigner());
        }
        compiled = next;
        Map<String, Rollout> rollouts = new HashMap<>();
        for (StoredDefinition stored : store.list(DefinitionKind.ROLLOUT)) {
            rollouts.put(stored.key(), RolloutStoreCodec.decode(stored));
        }
        Map<String, Holdout> holdouts = new HashMap<>();
        for (StoredDefinition stored : store.list(DefinitionKind.HOLDOUT)) {
            holdouts.put(stored.key(), HoldoutStoreCodec.decode(stored));
        }
        return new DefinitionSnapshot(experiments, rollouts, holdouts, now);
    }
}
