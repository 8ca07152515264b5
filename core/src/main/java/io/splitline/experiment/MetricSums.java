package io.splitline.experiment;

import io.splitline.error.StateConflictException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The metrics whose sums ingest derives beyond each metric's own Σx and Σx² (a capped metric's capped sums, a
 * ratio metric's Σ numerator·denominator; {@code ingest.DerivedSums}). Ingest keeps them only while it knows
 * the metric, so they hold from the start only if the cap, or the ratio metric, is there from the start:
 * neither may change once units are counted, in experiments and holdouts alike.
 */
public final class MetricSums {
    private MetricSums() {
    }

    /**
     * Throws {@code conflict} when, in an active {@code status}, {@code next} changes a metric's absolute cap or adds a
     * capped or ratio metric (naming {@code metrics[i].cap}, or {@code metrics[i].type} for a ratio).
     */
    public static void checkUnchanged(ExperimentStatus status, List<Metric> current, List<Metric> next) {
        if (status == ExperimentStatus.DRAFT) {
            return;
        }
        for (int i = 0; i < next.size(); i++) {
            Metric metric = next.get(i);
            Metric before = current.stream().filter(m -> m.key().equals(metric.key())).findFirst().orElse(null);
            // a percentile cap may change: its sketch of the unit totals does not depend on it (Metric.sameDataAs)
            boolean added = before == null && (metric.capValue() != null || metric.type() == MetricType.RATIO);
            if (added || before != null && !Objects.equals(before.capValue(), metric.capValue())) {
                throw new StateConflictException("metric '" + metric.key() + "' cannot " + (added ? "be added" : "change its cap")
                        + " while " + status.json() + ": ingest keeps a capped or ratio metric's sums only from the start"
                        + " (changeable in draft only)", "metrics[" + i + "]." + (metric.type() == MetricType.RATIO ? "type" : "cap"));
            }
        }
    }
}
