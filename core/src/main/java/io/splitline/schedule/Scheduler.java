package io.splitline.schedule;

import io.splitline.error.DomainException;
import io.splitline.error.NotFoundException;
import io.splitline.error.StateConflictException;
import io.splitline.error.VersionConflictException;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.LifecycleAction;
import io.splitline.notify.Notifier;
import io.splitline.rollout.RolloutAction;
import io.splitline.rollout.RolloutService;
import io.splitline.store.DefinitionKind;
import io.splitline.store.DefinitionStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out schedules, at the start of every run of the scheduled step: starts draft experiments and
 * rollouts whose {@code startAt} has come and completes experiments whose {@code endAt} has come, with
 * actor {@value #ACTOR}. It finds them through the sparse {@code by-due} index (one keys-only Query per
 * kind, returning only what is due), re-reads each one consistently and acts on the version it read, so
 * a stale index entry, a duplicate run or an operator acting at the same moment never makes an action
 * happen twice: the loser gets a {@code conflict} and is reported as skipped.
 */
public final class Scheduler {
    /** The actor of every scheduled action in the history. */
    public static final String ACTOR = "scheduler";
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    private final DefinitionStore store;
    private final ExperimentService experiments;
    private final RolloutService rollouts;
    private final Clock clock;

    /** A scheduler whose actions are announced through {@code notifier} (scheduled action taken, experiment started...). */
    public Scheduler(DefinitionStore store, Clock clock, Notifier notifier) {
        this.store = store;
        this.experiments = new ExperimentService(store, clock, notifier);
        this.rollouts = new RolloutService(store, clock, notifier);
        this.clock = clock;
    }

    /** Acts on every definition due now; never throws (failures are in the outcomes). */
    public List<ScheduledAction> run() {
        Instant now = clock.instant();
        List<ScheduledAction> done = new ArrayList<>();
        for (String key : store.due(DefinitionKind.EXPERIMENT, now)) {
            done.add(act(DefinitionKind.EXPERIMENT, key, () -> experiments.runSchedule(key, ACTOR).map(LifecycleAction::json)));
        }
        for (String key : store.due(DefinitionKind.ROLLOUT, now)) {
            done.add(act(DefinitionKind.ROLLOUT, key, () -> rollouts.runSchedule(key, ACTOR).map(RolloutAction::json)));
        }
        return done;
    }

    private static ScheduledAction act(DefinitionKind kind, String key, Supplier<Optional<String>> action) {
        try {
            Optional<String> taken = action.get();
            if (taken.isEmpty()) {
                return new ScheduledAction(kind, key, ScheduledAction.Result.SKIPPED, null,
                        "nothing due any more (the index lags the table by a moment)");
            }
            LOG.info("scheduled {} of {} {} done", taken.get(), kind.label(), key);
            return new ScheduledAction(kind, key, ScheduledAction.Result.DONE, taken.get(), null);
        } catch (DomainException e) {
            if (e instanceof VersionConflictException || e instanceof StateConflictException
                    || e instanceof NotFoundException) {
                LOG.info("scheduled action on {} {} skipped: {}", kind.label(), key, e.getMessage());
                return new ScheduledAction(kind, key, ScheduledAction.Result.SKIPPED, null, e.getMessage());
            }
            LOG.error("scheduled action on {} {} failed", kind.label(), key, e);
            return new ScheduledAction(kind, key, ScheduledAction.Result.FAILED, null, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("scheduled action on {} {} failed", kind.label(), key, e);
            return new ScheduledAction(kind, key, ScheduledAction.Result.FAILED, null, e.toString());
        }
    }
}
