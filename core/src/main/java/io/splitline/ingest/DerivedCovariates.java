package io.splitline.ingest;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Derived CUPED covariates for one stream batch: the batch's keyless metric events added to their units'
 * histories ({@link UnitHistory}), and the covariates a first exposure in the batch gets from them.
 *
 * <p>The rule: a unit first exposed to an experiment with a lookback of L days gets, for each of the
 * experiment's metrics, x = its keyless total over the L whole UTC days before the exposure's day, from every
 * keyless event folded into its history by the end of the batch holding the exposure (within that batch in
 * any order: the history is brought up to date before exposures are decided). An explicit covariate on the
 * exposure wins over the derived one of the same metric. A derived x of 0 is not stored (absent is 0).
 *
 * <p>Exactly-once: a history holds the sequence of the last record folded into it and a record at or below it
 * is not added again; the histories are written before the units, and a unit's covariates, once written, are
 * replayed from the unit item, never recomputed.
 */
final class DerivedCovariates {
    private final Map<String, CovariateLookback> lookbacks;
    private final Map<String, UnitHistory> current;
    private final Map<String, UnitHistory> writes;

    private DerivedCovariates(Map<String, CovariateLookback> lookbacks, Map<String, UnitHistory> current,
                              Map<String, UnitHistory> writes) {
        this.lookbacks = lookbacks;
        this.current = current;
        this.writes = writes;
    }

    /** The unit ids whose histories a batch needs: every unit with a keyless metric event or an exposure. */
    static Set<String> units(List<StreamRecord> records, Map<String, CovariateLookback> lookbacks) {
        return lookbacks.isEmpty() ? Set.of() : records.stream().map(StreamRecord::event)
                .filter(e -> e.keyless() || e.type() == EventType.EXPOSURE).map(IngestEvent::unitId).collect(Collectors.toSet());
    }

    /** Adds the batch's keyless events the stored histories do not hold yet; prunes what it rewrites. */
    static DerivedCovariates of(List<StreamRecord> records, Map<String, UnitHistory> stored,
                                Map<String, CovariateLookback> lookbacks) {
        int keepDays = lookbacks.values().stream().mapToInt(CovariateLookback::days).max().orElse(0) + 1;
        Set<String> kept = lookbacks.values().stream().flatMap(l -> l.metrics().stream())
                .collect(Collectors.toCollection(TreeSet::new)).stream().limit(UnitHistory.MAX_METRICS)
                .collect(Collectors.toSet());
        Map<String, UnitHistory> current = new HashMap<>(stored);
        Map<String, UnitHistory> writes = new HashMap<>();
        if (lookbacks.isEmpty()) {
            return new DerivedCovariates(lookbacks, current, writes);
        }
        for (StreamRecord r : records) {
            IngestEvent e = r.event();
            UnitHistory history = current.getOrDefault(e.unitId(), UnitHistory.EMPTY);
            if (e.keyless() && e.type() == EventType.METRIC && kept.contains(e.metric()) && !history.holds(r.sequence())) {
                UnitHistory next = history.plus(e.metric(), e.value(), e.timestamp(), r.sequence()).pruned(keepDays, kept);
                current.put(e.unitId(), next);
                writes.put(e.unitId(), next);
            }
        }
        return new DerivedCovariates(lookbacks, current, writes);
    }

    /** The histories to write (each conditional on the version it was read at), before any unit write. */
    Map<String, UnitHistory> writes() {
        return writes;
    }

    /** The covariates of a first exposure in {@code target}: derived from the history, explicit ones winning. */
    Map<String, BigDecimal> of(IngestTarget target, IngestEvent exposure) {
        CovariateLookback lookback = lookbacks.get(target.key());
        UnitHistory history = current.get(exposure.unitId());
        if (lookback == null || history == null) {
            return exposure.covariates();
        }
        Map<String, BigDecimal> covariates = new HashMap<>();
        for (String metric : lookback.metrics()) {
            BigDecimal x = history.windowTotal(metric, exposure.timestamp(), lookback.days());
            if (x.signum() != 0) {
                covariates.put(metric, x);
            }
        }
        covariates.putAll(exposure.covariates());
        return covariates;
    }
}
