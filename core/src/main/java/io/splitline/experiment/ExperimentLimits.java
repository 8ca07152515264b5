package io.splitline.experiment;

import io.splitline.json.Json;
import java.util.List;

/** The bounds and defaults of experiment definitions, the numbers {@link ExperimentParser} enforces. */
public final class ExperimentLimits {
    public static final int MIN_VARIANTS = 2;
    public static final int MAX_VARIANTS = 20;
    public static final int MAX_METRICS = 20;
    public static final int MAX_OVERRIDES = 1000;
    public static final int MAX_DESCRIPTION = 1024;
    /**
     * Deepest a variant's {@code config} may nest ({@code {}} is 1). The deepest document that carries
     * a config is the {@code GET /experiments/{key}/history} answer for an update of {@code variants}:
     * {@code {"entries": [{"changes": {"variants": {"from": [{"config": …}]}}}]}} wraps it in 7 levels,
     * and it must stay within the {@link Json#MAX_DEPTH} every stored item and response is read with.
     */
    public static final int MAX_CONFIG_DEPTH = Json.MAX_DEPTH - 7;
    /** Weights must sum to 1 within this tolerance; Splitline never normalises them for you. */
    public static final double WEIGHT_TOLERANCE = 1e-9;
    /** Units per variant the sequential test is tuned for by default: gbstats' default of 5 000 over two arms. */
    public static final long DEFAULT_EXPECTED_UNITS_PER_VARIANT = 2500;
    /** Derived CUPED covariates: the default lookback and its bounds, in whole UTC days ({@code lookbackDays}). */
    public static final int DEFAULT_LOOKBACK_DAYS = 14;
    public static final int MAX_LOOKBACK_DAYS = 90;
    /**
     * The aggregate partitions an experiment may spread its sums over ({@code aggregateShards}). Each takes ~1 000
     * write units a second, and a results call queries each: 4 by default, 16 at most (the count of every experiment
     * stored before the field existed, {@link #LEGACY_AGGREGATE_SHARDS}). docs/ingest-v2.md, "Aggregate shards".
     */
    public static final List<Integer> AGGREGATE_SHARD_COUNTS = List.of(4, 8, 16);
    public static final int DEFAULT_AGGREGATE_SHARDS = 4;
    public static final int LEGACY_AGGREGATE_SHARDS = 16;

    private ExperimentLimits() {
    }
}
