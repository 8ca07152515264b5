package io.splitline.ingest;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * A unit's keyless metric totals by UTC day, across experiments: what derived CUPED covariates are read from
 * at the unit's first exposure ({@link DerivedCovariates}). One item per unit, bounded: it keeps only the
 * {@link #MAX_METRICS} metrics named by running experiments and the days of the longest running lookback
 * (older days are pruned whenever it is rewritten), so at most 90 × 20 totals.
 *
 * @param days     UTC day → metric → the unit's keyless total of that metric on that day
 * @param sequence the last stream record of this unit folded into it (null: none); records at or below it are
 *                 in, so a retried batch does not add them again
 * @param version  the item's version; writes are conditional on it (0: no item yet)
 */
public record UnitHistory(NavigableMap<LocalDate, Map<String, BigDecimal>> days, BigInteger sequence, long version) {
    /** The most metrics one history keeps; events of other metrics are not kept (no derived covariate). */
    public static final int MAX_METRICS = 20;
    public static final UnitHistory EMPTY = new UnitHistory(new TreeMap<>(), null, 0);

    public UnitHistory {
        NavigableMap<LocalDate, Map<String, BigDecimal>> copy = new TreeMap<>();
        days.forEach((day, totals) -> copy.put(day, Map.copyOf(totals)));
        days = Collections.unmodifiableNavigableMap(copy);
    }

    /** Whether a stream record is already in this history. */
    public boolean holds(BigInteger recordSequence) {
        return sequence != null && recordSequence.compareTo(sequence) <= 0;
    }

    /** This history with one keyless metric event added to its day's bucket, and moved to its sequence. */
    public UnitHistory plus(String metric, BigDecimal value, Instant timestamp, BigInteger recordSequence) {
        NavigableMap<LocalDate, Map<String, BigDecimal>> next = new TreeMap<>(days);
        Map<String, BigDecimal> day = new HashMap<>(next.getOrDefault(day(timestamp), Map.of()));
        day.merge(metric, value, BigDecimal::add);
        next.put(day(timestamp), day);
        return new UnitHistory(next, recordSequence, version);
    }

    /**
     * The history keeping only the last {@code keepDays} days up to its newest day and the given metrics: what
     * is written, so the item never holds more than keepDays × {@link #MAX_METRICS} totals.
     */
    public UnitHistory pruned(int keepDays, Set<String> keptMetrics) {
        if (days.isEmpty()) {
            return this;
        }
        LocalDate oldest = days.lastKey().minusDays(keepDays - 1L);
        NavigableMap<LocalDate, Map<String, BigDecimal>> next = new TreeMap<>();
        days.tailMap(oldest, true).forEach((day, totals) -> {
            Map<String, BigDecimal> kept = new HashMap<>(totals);
            kept.keySet().retainAll(keptMetrics);
            if (!kept.isEmpty()) {
                next.put(day, kept);
            }
        });
        return new UnitHistory(next, sequence, version);
    }

    /**
     * The unit's total of a metric over the {@code lookbackDays} whole UTC days before the day of
     * {@code exposedAt}: [day(exposedAt) − lookbackDays, day(exposedAt)). The exposure's own day is out, so no
     * event after the exposure can leak into its covariate.
     */
    public BigDecimal windowTotal(String metric, Instant exposedAt, int lookbackDays) {
        LocalDate exposureDay = day(exposedAt);
        BigDecimal total = BigDecimal.ZERO;
        for (Map<String, BigDecimal> totals : days.subMap(exposureDay.minusDays(lookbackDays), true, exposureDay, false).values()) {
            total = total.add(totals.getOrDefault(metric, BigDecimal.ZERO));
        }
        return total;
    }

    public UnitHistory withVersion(long next) {
        return new UnitHistory(days, sequence, next);
    }

    public static LocalDate day(Instant timestamp) {
        return LocalDate.ofInstant(timestamp, ZoneOffset.UTC);
    }
}
