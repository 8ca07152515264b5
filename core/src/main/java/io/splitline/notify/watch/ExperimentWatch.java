package io.splitline.notify.watch;

import io.splitline.experiment.ExperimentStatus;
import io.splitline.notify.Notification;
import io.splitline.notify.Notifier;
import io.splitline.results.ExperimentResults;
import io.splitline.results.ResultsService;
import io.splitline.store.DefinitionKind;
import io.splitline.store.DefinitionStore;
import io.splitline.store.StoredDefinition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates running experiments for the scheduled step and announces what changed: SRM detected, the
 * primary metric reaching significance, a guardrail breached, the recommendation changed. It runs when
 * the step's minute (UTC, since the epoch) is a multiple of the cadence, so with a one-minute step and a
 * 15-minute cadence every experiment is evaluated four times an hour.
 *
 * <p><b>Once per episode, once per evaluation.</b> What was last announced is a {@link WatchedState} kept
 * beside the definition. The new state is written only when it differs, with a conditional write on the
 * state read; only the writer that wins announces. So overlapping or duplicated step runs never announce
 * twice, and a condition that persists is announced once. An announcement that fails after the state was
 * written is lost (logged, the step fails): the state already says it was announced.
 *
 * <p><b>Cost</b> per running experiment per evaluation: the results (1 GetItem + 16 Queries, one per
 * aggregate shard), 1 GetItem of the state, and 1 conditional PutItem plus one PutEvents per
 * notification only when something changed; plus, per evaluation, the listing of experiments (one
 * {@code by-kind} Query page per MB of definitions).
 */
public final class ExperimentWatch {
    /** The default cadence. */
    public static final Duration DEFAULT_CADENCE = Duration.ofMinutes(15);
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentWatch.class);

    private final DefinitionStore store;
    private final ResultsService results;
    private final Notifier notifier;
    private final Clock clock;
    private final long cadenceMinutes;

    public ExperimentWatch(DefinitionStore store, ResultsService results, Notifier notifier, Clock clock, Duration cadence) {
        if (cadence.toMinutes() < 1 || !cadence.equals(Duration.ofMinutes(cadence.toMinutes()))) {
            throw new IllegalArgumentException("the evaluation cadence is a whole number of minutes, got " + cadence);
        }
        this.store = store;
        this.results = results;
        this.notifier = notifier;
        this.clock = clock;
        this.cadenceMinutes = cadence.toMinutes();
    }

    /** True when a step run at {@code now} evaluates the experiments. */
    public boolean isDue(Instant now) {
        return Math.floorDiv(now.getEpochSecond(), 60) % cadenceMinutes == 0;
    }

    /**
     * Evaluates every running experiment when due, announcing what changed; otherwise does nothing.
     *
     * @return the notifications published, by experiment; failures are reported in {@link Evaluation}
     */
    public List<Evaluation> run() {
        if (!isDue(clock.instant())) {
            return List.of();
        }
        List<Evaluation> evaluations = new ArrayList<>();
        for (StoredDefinition d : store.list(DefinitionKind.EXPERIMENT)) {
            if (d.status().equals(ExperimentStatus.RUNNING.json())) {
                evaluations.add(evaluate(d.key()));
            }
        }
        LOG.info("experiment watch: {} running experiments evaluated", evaluations.size());
        return evaluations;
    }

    /** Evaluates one experiment now. Never throws. */
    public Evaluation evaluate(String key) {
        try {
            ExperimentResults computed = results.wholeExperimentResults(key);
            Optional<String> stored = store.watchedState(DefinitionKind.EXPERIMENT, key);
            WatchedState last = stored.map(WatchedStateJson::fromJson).orElse(WatchedState.NOTHING);
            WatchedState next = WatchedState.of(computed);
            if (next.equals(last)) {
                return new Evaluation(key, List.of(), null);
            }
            if (!store.replaceWatchedState(DefinitionKind.EXPERIMENT, key, stored, WatchedStateJson.toJson(next))) {
                LOG.info("experiment {}: another step recorded its state first; it announces", key);
                return new Evaluation(key, List.of(), null);
            }
            List<String> published = new ArrayList<>();
            for (Notification n : last.notificationsTowards(next, computed)) {
                notifier.publish(n);
                published.add(n.detailType());
            }
            return new Evaluation(key, published, null);
        } catch (RuntimeException e) {
            LOG.error("experiment {}: could not be evaluated or announced", key, e);
            return new Evaluation(key, List.of(), e.toString());
        }
    }

    /**
     * One experiment's evaluation.
     *
     * @param experiment the key
     * @param published  detail-types published, in order
     * @param error      what failed, or null
     */
    public record Evaluation(String experiment, List<String> published, String error) {
        public Evaluation {
            published = List.copyOf(published);
        }
    }
}
