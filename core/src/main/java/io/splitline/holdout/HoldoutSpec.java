package io.splitline.holdout;

import io.splitline.assignment.UnitHash;
import io.splitline.experiment.ExperimentLimits;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.Metric;
import io.splitline.experiment.MultipleTestingCorrection;
import io.splitline.experiment.Variant;
import java.util.List;
import java.util.Map;

/**
 * What a user defines about a holdout: everything but its lifecycle. Instances are only made by
 * {@link HoldoutJson#parseSpec}, which enforces the API contract.
 *
 * <p>A unit is held out iff {@code hashV2(seed, unitId) < percent / 100}, the rule of a rollout's
 * treatment: membership depends on the seed and the unit alone (stable), and raising the percent only
 * adds units (monotone). The percent has a 0.01 grain, the grain of the hash, so the comparison is exact:
 * a unit whose hash is {@code k / 10000} is held out iff {@code k < percent × 100}.
 *
 * @param key               holdout key
 * @param description       free text, possibly empty
 * @param percent           share of units held out, in (0, 50], a multiple of 0.01
 * @param seed              the hash seed, the key unless given
 * @param metrics           metrics the holdout's results show
 * @param confidenceLevel   as an experiment's
 * @param minimumSampleSize as an experiment's
 */
public record HoldoutSpec(String key, String description, double percent, String seed, List<Metric> metrics,
                          double confidenceLevel, int minimumSampleSize) {
    /** The arm of the held-out units, the baseline of the comparison. */
    public static final String HOLDOUT = "holdout";
    /** The arm of every other unit that reached a definition respecting the holdout. */
    public static final String GENERAL = "general";

    public HoldoutSpec {
        metrics = List.copyOf(metrics);
    }

    /** The held-out share as the hash compares it: {@code percent × 100} ten-thousandths. */
    public double share() {
        return Math.round(percent * 100) / 10_000.0;
    }

    /** Whether the unit is held out (whatever the holdout's status). */
    public boolean holds(String unitId) {
        return UnitHash.v2(seed, unitId) < share();
    }

    /** The unit's arm in the holdout's comparison. */
    public String arm(String unitId) {
        return holds(unitId) ? HOLDOUT : GENERAL;
    }

    /**
     * The holdout's comparison as a two-arm experiment, so its results use the experiments' statistics:
     * {@code holdout} (the baseline, no launches) against {@code general}, weighted by the held-out share
     * (the sample-ratio check expects exactly that split).
     */
    public ExperimentSpec comparison() {
        double share = share();
        return new ExperimentSpec(key, description, List.of(new Variant(HOLDOUT, share, null),
                new Variant(GENERAL, 1 - share, null)), HOLDOUT, 1.0, null, Map.of(), null, metrics, confidenceLevel,
                minimumSampleSize, null, null, MultipleTestingCorrection.HOLM,
                ExperimentLimits.DEFAULT_EXPECTED_UNITS_PER_VARIANT, null, List.of(),
                ExperimentLimits.DEFAULT_LOOKBACK_DAYS, ExperimentLimits.LEGACY_AGGREGATE_SHARDS);
    }
}
