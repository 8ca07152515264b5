package io.splitline.experiment;

import io.splitline.error.StateConflictException;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What may change in each lifecycle state. Once units are being assigned, anything that would move a
 * unit to another variant (variants, weights, control, targeting, namespace, holdout) is frozen and coverage may
 * only grow (a unit inside stays inside, with its variant: assignment is monotone in coverage). A
 * metric keeps its type, since its aggregates were collected for that type, and the sequential test's
 * tuning ({@code expectedUnitsPerVariant}) is fixed, since a mixture chosen after seeing data is not
 * always valid. The segment {@code dimensions} are fixed, since units record them at first exposure, and so is
 * {@code lookbackDays}, the window of the covariates already fixed at exposure, and {@code aggregateShards}, the
 * partitions its sums were spread over. A metric's cap, and the presence of
 * a ratio metric, are fixed too ({@link MetricSums}). A
 * start schedule is spent once the experiment has started; its end may still move. A finished experiment is
 * a record: only its description may change.
 */
final class ChangePolicy {
    /** Frozen while running or paused, in the order they are reported. */
    static final List<String> FROZEN_WHILE_ACTIVE = List.of("variants", "control", "targeting", "namespace", "holdout");

    private static final Set<String> CHANGEABLE_WHEN_FINISHED = Set.of("description");

    private ChangePolicy() {
    }

    /** Throws {@code conflict} naming the first field that may not change from {@code current} to {@code next}. */
    static void check(ExperimentStatus status, ExperimentSpec current, ExperimentSpec next, SpecDiff diff) {
        switch (status) {
            case DRAFT -> {
                // Nothing is assigned yet: anything may change.
            }
            case RUNNING, PAUSED -> checkActive(status, current, next, diff);
            case COMPLETED, ARCHIVED -> {
                for (String field : diff.changes().keySet()) {
                    if (!CHANGEABLE_WHEN_FINISHED.contains(field)) {
                        throw new StateConflictException(field + " cannot change once the experiment is " + status.json()
                                + "; only description can", field);
                    }
                }
            }
        }
    }

    private static void checkActive(ExperimentStatus status, ExperimentSpec current, ExperimentSpec next, SpecDiff diff) {
        if (diff.changes().containsKey("startAt")) {
            throw new StateConflictException("startAt cannot change once the experiment has started (it is " + status.json()
                    + "); endAt may still be set or moved", "startAt");
        }
        for (String field : FROZEN_WHILE_ACTIVE) {
            if (diff.changes().containsKey(field)) {
                throw new StateConflictException(field + " cannot change while the experiment is " + status.json()
                        + ": it would move units between variants (changeable in draft only)", field);
            }
        }
        if (diff.changes().containsKey("expectedUnitsPerVariant")) {
            throw new StateConflictException("expectedUnitsPerVariant cannot change while the experiment is " + status.json()
                    + ": the always-valid p-values hold only for a sequential test tuned before the data (changeable in draft only)",
                    "expectedUnitsPerVariant");
        }
        if (diff.changes().containsKey("dimensions")) {
            throw new StateConflictException("dimensions cannot change while the experiment is " + status.json()
                    + ": a unit's segment values are recorded at its first exposure, so a dimension added later would"
                    + " miss every unit already exposed (changeable in draft only)", "dimensions");
        }
        if (diff.changes().containsKey("lookbackDays")) {
            throw new StateConflictException("lookbackDays cannot change while the experiment is " + status.json()
                    + ": the units exposed so far have their CUPED covariates over the old window (changeable in draft only)",
                    "lookbackDays");
        }
        if (diff.changes().containsKey("aggregateShards")) {
            throw new StateConflictException("aggregateShards cannot change while the experiment is " + status.json()
                    + ": its sums so far are spread over " + current.aggregateShards() + " partitions, which results read"
                    + " (changeable in draft only)", "aggregateShards");
        }
        if (next.coverage() < current.coverage()) {
            throw new StateConflictException("coverage can only grow while the experiment is " + status.json() + " (from "
                    + current.coverage() + " to " + next.coverage() + " would drop units already in it)", "coverage");
        }
        for (int i = 0; i < next.metrics().size(); i++) {
            Metric metric = next.metrics().get(i);
            Metric before = current.metric(metric.key()).orElse(null);
            if (before != null && !before.sameDataAs(metric)) {
                boolean percentileCap = before.type() == metric.type() && Objects.equals(before.numerator(), metric.numerator())
                        && Objects.equals(before.denominator(), metric.denominator()); // so what differs is the sketch
                throw new StateConflictException(percentileCap
                        ? "metric '" + metric.key() + "' cannot " + (metric.capPercentile() == null ? "drop" : "gain")
                                + " a cap.percentile while the experiment is " + status.json()
                                + ": ingest keeps the sketch of its unit totals only from the start (the percentile itself may change)"
                        : "the type of metric '" + metric.key() + "' (and a ratio's numerator and denominator)"
                                + " cannot change while the experiment is " + status.json() + ": its data was collected as "
                                + before.type().json(), "metrics[" + i + "]." + (percentileCap ? "cap" : "type"));
            }
        }
        MetricSums.checkUnchanged(status, current.metrics(), next.metrics());
    }
}
