package io.splitline.experiment;

import io.splitline.error.InvalidFieldException;
import io.splitline.error.NotFoundException;
import io.splitline.error.StateConflictException;
import io.splitline.error.VersionConflictException;
import io.splitline.json.Fields;
import io.splitline.json.JsonValue;
import io.splitline.notify.Notification;
import io.splitline.notify.Notifications;
import io.splitline.notify.Notifier;
import io.splitline.store.DefinitionKind;
import io.splitline.store.DefinitionStore;
import io.splitline.store.HistoryEntry;
import io.splitline.store.HistoryPage;
import io.splitline.store.HoldoutRefs;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The experiments management API over the {@link DefinitionStore}: create, read, list, update (PATCH)
 * and lifecycle moves, each change written together with its audit entry. Guarantees: every stored
 * experiment passed {@link ExperimentJson#parseSpec}; an update or move applies only to the version it
 * read (a concurrent change makes it a {@code conflict}, never a lost write); what may change in each
 * state is decided by one policy (see docs/api.md, "PATCH rules"); a request that changes nothing writes
 * nothing.
 */
public final class ExperimentService {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentService.class);
    private static final DefinitionKind KIND = DefinitionKind.EXPERIMENT;

    private final DefinitionStore store;
    private final Clock clock;
    private final Notifier notifier;

    /** A service that announces nothing (tests of everything else). */
    public ExperimentService(DefinitionStore store, Clock clock) {
        this(store, clock, Notifier.NONE);
    }

    /** A service that announces starts and completions through {@code notifier}, after they are stored. */
    public ExperimentService(DefinitionStore store, Clock clock, Notifier notifier) {
        this.store = store;
        this.clock = clock;
        this.notifier = notifier;
    }

    /** Stores a new experiment in {@code draft} at version 1. */
    public Experiment create(ExperimentSpec spec, String actor) {
        HoldoutRefs.requireExists(store, spec.holdout());
        Instant now = now();
        requireFuture(spec.startAt(), "startAt", now);
        requireFuture(spec.endAt(), "endAt", now);
        Experiment experiment = new Experiment(spec, ExperimentStatus.DRAFT, 1, now, now, null, null);
        store.create(ExperimentStoreCodec.encode(experiment), new HistoryEntry(now, actor, "create", 1, ExperimentHistoryJson.spec(spec)));
        return experiment;
    }

    /** The experiment, read consistently. */
    public Experiment get(String key) {
        Fields.requireKey(key, "key");
        return store.get(KIND, key)
                .map(ExperimentStoreCodec::decode)
                .orElseThrow(() -> new NotFoundException("experiment '" + key + "' not found"));
    }

    /**
     * Every experiment, or those in one status, sorted by key.
     *
     * @param status a status as written in the API ({@code running}), or null for all
     */
    public List<Experiment> list(String status) {
        Optional<ExperimentStatus> wanted = Optional.ofNullable(status).map(s -> ExperimentStatus.fromJson(s)
                .orElseThrow(() -> new InvalidFieldException("status",
                        "status must be one of draft, running, paused, completed, archived (got '" + s + "')")));
        return store.list(KIND).stream()
                .map(ExperimentStoreCodec::decode)
                .filter(e -> wanted.isEmpty() || e.status() == wanted.get())
                .sorted(Comparator.comparing(Experiment::key))
                .toList();
    }

    /**
     * Applies a {@code PATCH} body {@code {"version": n, ...fields}}: the named top-level fields replace
     * the current ones, the result is validated as a whole and checked against what the current status
     * allows. Answers the unchanged experiment, writing nothing, when nothing changes.
     */
    public Experiment update(String key, JsonValue body, String actor) {
        Fields.requireKey(key, "key");
        ExperimentPatch patch = ExperimentPatchParser.parse(body, key);
        Experiment current = get(key);
        requireVersion(current, patch.version());
        ExperimentSpec next = ExperimentPatchParser.applyTo(patch, current.spec());
        SpecDiff diff = SpecDiff.between(current.spec(), next);
        if (diff.isEmpty()) {
            LOG.info("update of experiment {} at version {} changes nothing", key, current.version());
            return current;
        }
        ChangePolicy.check(current.status(), current.spec(), next, diff);
        if (diff.changes().containsKey("holdout")) {
            HoldoutRefs.requireExists(store, next.holdout());
        }
        Instant now = now();
        if (diff.changes().containsKey("startAt")) {
            requireFuture(next.startAt(), "startAt", now);
        }
        if (diff.changes().containsKey("endAt")) {
            requireFuture(next.endAt(), "endAt", now);
        }
        Experiment updated = new Experiment(next, current.status(), current.version() + 1, current.createdAt(), now,
                current.startedAt(), current.completedAt());
        store.update(ExperimentStoreCodec.encode(updated), current.version(),
                new HistoryEntry(now, actor, "update", updated.version(), ExperimentHistoryJson.updated(diff)));
        return updated;
    }

    /**
     * Moves the experiment through its lifecycle ({@link LifecycleAction}). {@code start} records
     * {@code startedAt} (the first start), {@code complete} records {@code completedAt}.
     *
     * @throws StateConflictException when the move is not allowed from the current status
     */
    public Experiment transition(String key, LifecycleAction action, String actor) {
        Experiment current = get(key);
        if (!action.allowedFrom(current.status())) {
            throw new StateConflictException("cannot " + action.json() + " experiment '" + key + "': it is "
                    + current.status().json() + " (" + action.json() + " applies to " + names(action) + ")", null);
        }
        return move(current, action, actor, null);
    }

    /**
     * Carries out the experiment's schedule when an action is due now: starts a {@code draft} whose
     * {@code startAt} has come, completes a {@code running} or {@code paused} one whose {@code endAt} has
     * come, recorded with {@code actor} and the time it was scheduled for ({@code changes.scheduledFor}).
     * The move is written on the version checked, so a concurrent change (an operator starting it, a PATCH
     * moving the schedule) makes it a {@code conflict} instead of acting on a stale schedule.
     *
     * @return the action taken, or empty when nothing is due
     */
    public Optional<LifecycleAction> runSchedule(String key, String actor) {
        Experiment current = get(key);
        Instant now = now();
        ExperimentSpec spec = current.spec();
        LifecycleAction action;
        Instant scheduledFor;
        if (current.status() == ExperimentStatus.DRAFT && due(spec.startAt(), now)) {
            action = LifecycleAction.START;
            scheduledFor = spec.startAt();
        } else if (LifecycleAction.COMPLETE.allowedFrom(current.status()) && due(spec.endAt(), now)) {
            action = LifecycleAction.COMPLETE;
            scheduledFor = spec.endAt();
        } else {
            return Optional.empty();
        }
        Experiment moved = move(current, action, actor, scheduledFor);
        notifier.publishOrLog(Notifications.scheduledActionTaken(KIND, key, action.json(), scheduledFor, moved.updatedAt()));
        return Optional.of(action);
    }

    private Experiment move(Experiment current, LifecycleAction action, String actor, Instant scheduledFor) {
        Instant now = now();
        Instant startedAt = action == LifecycleAction.START && current.startedAt() == null ? now : current.startedAt();
        Instant completedAt = action == LifecycleAction.COMPLETE ? now : current.completedAt();
        Experiment moved = new Experiment(current.spec(), action.to(), current.version() + 1, current.createdAt(), now,
                startedAt, completedAt);
        store.update(ExperimentStoreCodec.encode(moved), current.version(), new HistoryEntry(now, actor, action.json(), moved.version(),
                ExperimentHistoryJson.moved(current.status(), action.to(), scheduledFor)));
        switch (action) {
            case START -> notifier.publishOrLog(ExperimentNotifications.experimentMoved(Notification.EXPERIMENT_STARTED, moved, actor));
            case COMPLETE -> notifier.publishOrLog(ExperimentNotifications.experimentMoved(Notification.EXPERIMENT_COMPLETED, moved, actor));
            case PAUSE, RESUME, ARCHIVE -> {
                // not announced: the history has them
            }
        }
        return moved;
    }

    private static boolean due(Instant at, Instant now) {
        return at != null && !at.isAfter(now);
    }

    private static void requireFuture(Instant at, String field, Instant now) {
        if (at != null && !at.isAfter(now)) {
            throw new InvalidFieldException(field, field + " (" + at + ") is not in the future (it is now " + now
                    + "): give a later time, or leave it out and use the lifecycle routes");
        }
    }

    /** The audit history, oldest first. */
    public List<HistoryEntry> history(String key) {
        Fields.requireKey(key, "key");
        List<HistoryEntry> entries = store.history(KIND, key);
        if (entries.isEmpty()) {
            get(key); // every experiment has a create entry: no entries means no experiment (404)
        }
        return entries;
    }

    /** One page of the audit history ({@link HistoryPage.Request}: oldest first unless asked otherwise). */
    public HistoryPage history(String key, HistoryPage.Request request) {
        Fields.requireKey(key, "key");
        HistoryPage page = store.history(KIND, key, request);
        if (page.entries().isEmpty()) {
            get(key); // every experiment has a create entry: no entries means no experiment (404)
        }
        return page;
    }

    private static void requireVersion(Experiment current, long expected) {
        if (current.version() != expected) {
            throw new VersionConflictException("experiment '" + current.key() + "' is at version " + current.version()
                    + ", not " + expected + ": read it again and retry", "version");
        }
    }

    private static String names(LifecycleAction action) {
        return action.from().stream().sorted().map(ExperimentStatus::json).toList().toString();
    }

    /** Millisecond precision: timestamps read the same in every client. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
