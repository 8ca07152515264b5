package io.splitline.ingest;

import java.util.Set;

/**
 * How one experiment derives its CUPED covariates from a unit's keyless events before exposure: x of a metric
 * is the unit's keyless total of that metric over the {@code days} whole UTC days before the day of its first
 * exposure ({@link UnitHistory#windowTotal}).
 *
 * @param days    the lookback, in whole UTC days ({@code lookbackDays} of the experiment)
 * @param metrics the event metrics that get a derived covariate (the experiment's mean and conversion metrics)
 */
public record CovariateLookback(int days, Set<String> metrics) {
    public CovariateLookback {
        metrics = Set.copyOf(metrics);
    }
}
