package io.splitline.holdout;

import io.splitline.error.InvalidFieldException;
import io.splitline.error.NotFoundException;
import io.splitline.error.StateConflictException;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.experiment.LifecycleAction;
import io.splitline.experiment.MetricSums;
import io.splitline.json.Fields;
import io.splitline.json.JsonValue;
import io.splitline.store.DefinitionKind;
import io.splitline.store.DefinitionStore;
import io.splitline.store.HistoryEntry;
import io.splitline.store.HistoryPage;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The holdouts management API over the {@link DefinitionStore}, with the guarantees of the experiments'
 * ({@code ExperimentService}): every change is written with its audit entry, on the version it read,
 * and a request that changes nothing writes nothing. What may change: anything in {@code draft}; once
 * started, the seed is frozen and the percent may only grow (a held-out unit stays held out), and an
 * archived holdout does not change.
 */
public final class HoldoutService {
    private static final DefinitionKind KIND = DefinitionKind.HOLDOUT;

    private final DefinitionStore store;
    private final Clock clock;

    public HoldoutService(DefinitionStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Stores a new holdout in {@code draft} at version 1. */
    public Holdout create(HoldoutSpec spec, String actor) {
        Instant now = now();
        Holdout holdout = new Holdout(spec, ExperimentStatus.DRAFT, 1, now, now, null, null);
        store.create(HoldoutStoreCodec.encode(holdout), new HistoryEntry(now, actor, "create", 1, HoldoutHistoryJson.spec(spec)));
        return holdout;
    }

    /** The holdout, read consistently. */
    public Holdout get(String key) {
        Fields.requireKey(key, "key");
        return store.get(KIND, key)
                .map(HoldoutStoreCodec::decode)
                .orElseThrow(() -> new NotFoundException("holdout '" + key + "' not found"));
    }

    /** Every holdout, or those in one status ({@code running}; null for all), sorted by key. */
    public List<Holdout> list(String status) {
        Optional<ExperimentStatus> wanted = Optional.ofNullable(status).map(s -> ExperimentStatus.fromJson(s)
                .orElseThrow(() -> new InvalidFieldException("status",
                        "status must be one of draft, running, paused, completed, archived (got '" + s + "')")));
        return store.list(KIND).stream()
                .map(HoldoutStoreCodec::decode)
                .filter(h -> wanted.isEmpty() || h.status() == wanted.get())
                .sorted(Comparator.comparing(Holdout::key))
                .toList();
    }

    /**
     * Applies a {@code PATCH} body {@code {"version": n, ...fields}}: the named fields replace the current
     * ones (null removes an optional one), the result is validated as a whole and against what the status
     * allows.
     */
    public Holdout update(String key, JsonValue body, String actor) {
        Holdout current = get(key);
        HoldoutSpec next = HoldoutPatchParser.applyTo(body, key, current);
        JsonValue.JsonObject changes = HoldoutHistoryJson.diff(current.spec(), next);
        if (changes.fields().isEmpty()) {
            return current;
        }
        check(current, next, changes);
        Instant now = now();
        Holdout updated = new Holdout(next, current.status(), current.version() + 1, current.createdAt(), now,
                current.startedAt(), current.completedAt());
        store.update(HoldoutStoreCodec.encode(updated), current.version(), new HistoryEntry(now, actor, "update", updated.version(), changes));
        return updated;
    }

    private static void check(Holdout current, HoldoutSpec next, JsonValue.JsonObject changes) {
        ExperimentStatus status = current.status();
        if (status == ExperimentStatus.ARCHIVED) {
            throw new StateConflictException("holdout '" + current.key() + "' is archived and cannot change", null);
        }
        if (status != ExperimentStatus.DRAFT && changes.fields().containsKey("seed")) {
            throw new StateConflictException("seed is frozen once the holdout has started (it decides who is held out)", "seed");
        }
        if (status != ExperimentStatus.DRAFT && next.percent() < current.spec().percent()) {
            throw new StateConflictException("percent can only grow once the holdout has started (from "
                    + current.spec().percent() + " to " + next.percent() + " would release held-out units)", "percent");
        }
        MetricSums.checkUnchanged(status, current.spec().metrics(), next.metrics());
    }

    /**
     * Moves the holdout through the experiments' lifecycle ({@link LifecycleAction}); only a
     * {@code running} holdout holds units out.
     */
    public Holdout transition(String key, LifecycleAction action, String actor) {
        Holdout current = get(key);
        if (!action.allowedFrom(current.status())) {
            throw new StateConflictException("cannot " + action.json() + " holdout '" + key + "': it is "
                    + current.status().json() + " (" + action.json() + " applies to "
                    + action.from().stream().sorted().map(ExperimentStatus::json).toList() + ")", null);
        }
        Instant now = now();
        Holdout moved = new Holdout(current.spec(), action.to(), current.version() + 1, current.createdAt(), now,
                action == LifecycleAction.START && current.startedAt() == null ? now : current.startedAt(),
                action == LifecycleAction.COMPLETE ? now : current.completedAt());
        store.update(HoldoutStoreCodec.encode(moved), current.version(), new HistoryEntry(now, actor, action.json(), moved.version(),
                HoldoutHistoryJson.moved(current.status(), action.to())));
        return moved;
    }

    /** One page of the audit history. */
    public HistoryPage history(String key, HistoryPage.Request request) {
        Fields.requireKey(key, "key");
        HistoryPage page = store.history(KIND, key, request);
        if (page.entries().isEmpty()) {
            get(key); // every holdout has a create entry: no entries means no holdout (404)
        }
        return page;
    }

    /** Millisecond precision: timestamps read the same in every client. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
