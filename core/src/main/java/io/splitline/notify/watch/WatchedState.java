package io.splitline.notify.watch;

import io.splitline.experiment.MetricRole;
import io.splitline.notify.Notification;
import io.splitline.results.ExperimentResults;
import io.splitline.results.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What was last announced about a running experiment, so that each condition is announced once per
 * episode: an SRM that persists for a week is one "SRM Detected", and a new one is sent only after the
 * split was seen healthy again. Kept as a small JSON item beside the definition ({@link WatchedStateJson}).
 *
 * @param srm            a sample ratio mismatch was seen
 * @param significant    treatments significant on the primary metric (either direction)
 * @param breached       {@code variant/metric} of guardrails significantly worse
 * @param recommendation the recommendation's decision, or null before the first evaluation
 */
public record WatchedState(boolean srm, SortedSet<String> significant, SortedSet<String> breached, String recommendation) {
    /** Before the first evaluation: nothing announced yet. */
    public static final WatchedState NOTHING = new WatchedState(false, new TreeSet<>(), new TreeSet<>(), null);

    public WatchedState {
        significant = new TreeSet<>(significant);
        breached = new TreeSet<>(breached);
    }

    /** The state the results show. */
    public static WatchedState of(ExperimentResults results) {
        SortedSet<String> significant = new TreeSet<>();
        SortedSet<String> breached = new TreeSet<>();
        for (ExperimentResults.Comparison c : results.comparisons()) {
            if (c.role() == MetricRole.PRIMARY && c.significant()) {
                significant.add(c.variant());
            }
            if (c.role() == MetricRole.GUARDRAIL && c.outcome() == Outcome.WORSE) {
                breached.add(c.variant() + "/" + c.metric());
            }
        }
        return new WatchedState(results.srm().mismatch(), significant, breached, results.recommendation().decision().json());
    }

    /**
     * The notifications that going from {@code this} (what was announced) to {@code next} calls for:
     * an SRM that appeared, each treatment newly significant on the primary metric, each guardrail newly
     * breached, and a recommendation that changed (not on the first evaluation, where there is nothing to
     * compare with).
     */
    public List<Notification> notificationsTowards(WatchedState next, ExperimentResults results) {
        List<Notification> out = new ArrayList<>();
        if (next.srm && !srm) {
            out.add(ResultsNotifications.srmDetected(results));
        }
        for (ExperimentResults.Comparison c : results.comparisons()) {
            if (c.role() == MetricRole.PRIMARY && next.significant.contains(c.variant()) && !significant.contains(c.variant())) {
                out.add(ResultsNotifications.primaryMetricSignificant(results, c));
            }
            String guardrail = c.variant() + "/" + c.metric();
            if (c.role() == MetricRole.GUARDRAIL && next.breached.contains(guardrail) && !breached.contains(guardrail)) {
                out.add(ResultsNotifications.guardrailBreached(results, c));
            }
        }
        if (recommendation != null && !recommendation.equals(next.recommendation)) {
            out.add(ResultsNotifications.recommendationChanged(results, recommendation));
        }
        return out;
    }
}
