package io.splitline.rollout;

import io.splitline.error.InvalidFieldException;
import io.splitline.error.NotFoundException;
import io.splitline.error.StateConflictException;
import io.splitline.error.VersionConflictException;
import io.splitline.json.Fields;
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
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollouts management API over the {@link DefinitionStore}: create, read, list, history and the
 * operator's moves ({@link RolloutAction}), each written with its {@code manual} history entry.
 * Guarantees: every stored rollout passed {@link RolloutJson#parseSpec}; a move applies to the version it
 * read, never over a concurrent change. Because the scheduled step writes a version at every run, a
 * move that loses such a race is re-read and re-checked (a few times) instead of failing. A pause,
 * resume, start or abort means the same on any version; a promote names the percent it promotes from,
 * so on the re-read it still applies after a hold but is a {@code conflict} (field {@code fromPercent})
 * after anything that moved the rollout: of N concurrent promotes from one stage exactly one succeeds,
 * and a promote racing the step's advance never skips a second stage.
 */
public final class RolloutService {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutService.class);
    private static final int MAX_ATTEMPTS = 3;

    private final RolloutRepository rollouts;
    /** Where the holdout a new rollout names is looked up. */
    private final DefinitionStore store;
    private final Clock clock;
    private final Notifier notifier;

    /** A service that announces nothing (tests of everything else). */
    public RolloutService(DefinitionStore store, Clock clock) {
        this(store, clock, Notifier.NONE);
    }

    /** A service that announces an operator's pause, promote and abort through {@code notifier}, after they are stored. */
    public RolloutService(DefinitionStore store, Clock clock, Notifier notifier) {
        this.rollouts = new RolloutRepository(store);
        this.store = store;
        this.clock = clock;
        this.notifier = notifier;
    }

    /** Stores a new rollout in {@code draft} at version 1, 0 % in treatment. */
    public Rollout create(RolloutSpec spec, String actor) {
        HoldoutRefs.requireExists(store, spec.holdout());
        Instant now = now();
        if (spec.startAt() != null && !spec.startAt().isAfter(now)) {
            throw new InvalidFieldException("startAt", "startAt (" + spec.startAt() + ") is not in the future (it is now "
                    + now + "): give a later time, or leave it out and POST /rollouts/" + spec.key() + "/start");
        }
        Rollout rollout = Rollout.draft(spec, now, actor);
        rollouts.create(rollout);
        return rollout;
    }

    /** The rollout, read consistently. */
    public Rollout get(String key) {
        Fields.requireKey(key, "key");
        return rollouts.find(key).orElseThrow(() -> new NotFoundException("rollout '" + key + "' not found"));
    }

    /**
     * Every rollout, or those in one status, sorted by key.
     *
     * @param status a status as written in the API ({@code in_progress}), or null for all
     */
    public List<Rollout> list(String status) {
        Optional<RolloutStatus> wanted = Optional.ofNullable(status).map(s -> RolloutStatus.fromJson(s)
                .orElseThrow(() -> new InvalidFieldException("status", "status must be one of "
                        + statusNames() + " (got '" + s + "')")));
        return rollouts.list().stream()
                .filter(r -> wanted.isEmpty() || r.status() == wanted.get())
                .sorted(Comparator.comparing(Rollout::key))
                .toList();
    }

    /**
     * Applies an operator's move other than promote (see {@link #promote}).
     *
     * @throws StateConflictException when the move is not allowed from the current status
     * @throws VersionConflictException after repeated races when the rollout kept changing meanwhile
     */
    public Rollout act(String key, RolloutAction action, String actor) {
        if (action == RolloutAction.PROMOTE) {
            throw new IllegalArgumentException("a promote names the percent it promotes from: use promote(key, fromPercent, actor)");
        }
        return move(key, action, actor, OptionalInt.empty());
    }

    /**
     * Moves the rollout to the stage after the one at {@code fromPercent} (completes it from the last).
     *
     * @param fromPercent the percent the operator saw and promotes from
     * @throws StateConflictException with field {@code fromPercent} when the rollout is no longer at
     *                      that percent (the step or another operator moved it), or when not allowed from
     *                      the current status
     */
    public Rollout promote(String key, int fromPercent, String actor) {
        return move(key, RolloutAction.PROMOTE, actor, OptionalInt.of(fromPercent));
    }

    private Rollout move(String key, RolloutAction action, String actor, OptionalInt fromPercent) {
        for (int attempt = 1; ; attempt++) {
            Rollout current = get(key);
            if (!action.allowedFrom(current.status())) {
                throw new StateConflictException("cannot " + action.json() + " rollout '" + key + "': it is "
                        + current.status().json() + " (" + action.json() + " applies to "
                        + action.from().stream().sorted().map(RolloutStatus::json).toList() + ")", null);
            }
            if (fromPercent.isPresent() && current.percent() != fromPercent.getAsInt()) {
                throw new StateConflictException("cannot promote rollout '" + key + "' from " + fromPercent.getAsInt()
                        + "%: it is at " + current.percent() + "% now; read it again and send {\"fromPercent\": "
                        + current.percent() + "} if you still want the next stage", "fromPercent");
            }
            Rollout next = action.applyTo(current, now(), actor);
            try {
                rollouts.write(current, next);
                LOG.info("rollout {}: {} by {} ({}% -> {}%, {})", key, action.json(), actor, current.percent(),
                        next.percent(), next.status().json());
                announce(action, next);
                return next;
            } catch (VersionConflictException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                LOG.info("rollout {} changed while applying {} (attempt {}): reading it again", key, action.json(), attempt);
            }
        }
    }

    /**
     * Starts the rollout if it is a {@code draft} whose {@code startAt} has come, recorded as a manual
     * {@code start} by {@code actor}. Written on the version checked: a concurrent change (an operator's
     * start or abort) makes it a {@code conflict}, never a second start.
     *
     * @return the action taken ({@code start}), or empty when nothing is due
     */
    public Optional<RolloutAction> runSchedule(String key, String actor) {
        Rollout current = get(key);
        Instant now = now();
        Instant startAt = current.spec().startAt();
        if (current.status() != RolloutStatus.DRAFT || startAt == null || startAt.isAfter(now)) {
            return Optional.empty();
        }
        Rollout next = RolloutAction.START.applyTo(current, now, actor);
        rollouts.write(current, next);
        LOG.info("rollout {}: started by {} as scheduled for {}", key, actor, startAt);
        notifier.publishOrLog(Notifications.scheduledActionTaken(DefinitionKind.ROLLOUT, key, RolloutAction.START.json(),
                startAt, next.updatedAt()));
        return Optional.of(RolloutAction.START);
    }

    private void announce(RolloutAction action, Rollout next) {
        String detailType = switch (action) {
            case PAUSE -> Notification.ROLLOUT_PAUSED;
            case ABORT -> Notification.ROLLOUT_ABORTED;
            case PROMOTE -> next.status() == RolloutStatus.COMPLETED ? Notification.ROLLOUT_COMPLETED
                    : Notification.ROLLOUT_STAGE_ADVANCED;
            case START, RESUME -> null; // the history has them
        };
        if (detailType != null) {
            notifier.publishOrLog(RolloutNotifications.rollout(detailType, next));
        }
    }

    /** The history, oldest first. */
    public List<HistoryEntry> history(String key) {
        Fields.requireKey(key, "key");
        List<HistoryEntry> entries = rollouts.history(key);
        if (entries.isEmpty()) {
            get(key); // every rollout has a create entry: no entries means no rollout (404)
        }
        return entries;
    }

    /** One page of the history ({@link HistoryPage.Request}: oldest first unless asked otherwise). */
    public HistoryPage history(String key, HistoryPage.Request request) {
        Fields.requireKey(key, "key");
        HistoryPage page = rollouts.history(key, request);
        if (page.entries().isEmpty()) {
            get(key); // every rollout has a create entry: no entries means no rollout (404)
        }
        return page;
    }

    private static List<String> statusNames() {
        return Arrays.stream(RolloutStatus.values()).map(RolloutStatus::json).toList();
    }

    /** Millisecond precision: timestamps read the same in every client. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
