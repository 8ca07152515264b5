package io.splitline.experiment;

import io.splitline.error.StateConflictException;
import io.splitline.ingest.DerivedSums;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The sums ingest must keep for a definition's metrics beyond each metric's own: its caps and ratios (and
 * which metrics it sketches). Ingest
 * keeps them only while it knows the metric, so they hold from the start only if the metric's cap, or a
 * ratio metric, is there from the start: neither may change once units are counted.
 */
public final class MetricSums {
    private MetricSums() {
    }

    /** The capped metrics (by event metric) and the ratio metrics of {@code metrics}. */
    public static DerivedSums of(List<Metric> metrics) {
        Map<String, BigDecimal> caps = new HashMap<>();
        List<DerivedSums.Ratio> ratios = new ArrayList<>();
        for (Metric m : metrics) {
            if (m.capValue() != null) {
                caps.put(m.key(), m.capValue());
            }
            if (m.type() == MetricType.RATIO) {
                ratios.add(new DerivedSums.Ratio(m.key(), m.numerator(), m.denominator()));
            }
        }
        return new DerivedSums(caps, ratios);
    }

    /** The quantile metrics of {@code metrics}: ingest counts their event values in sketch bins. */
    public static Set<String> valueSketches(List<Metric> metrics) {
        return metrics.stream().filter(m -> m.type() == MetricType.QUANTILE).map(Metric::key).collect(Collectors.toSet());
    }

    /** The metrics of {@code metrics} capped at a percentile: ingest counts their units' totals in sketch bins. */
    public static Set<String> totalSketches(List<Metric> metrics) {
        return metrics.stream().filter(m -> m.capPercentile() != null).map(Metric::key).collect(Collectors.toSet());
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
