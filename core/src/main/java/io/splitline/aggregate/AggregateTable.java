package io.splitline.aggregate;

import io.splitline.stats.SketchBin;

/**
 * Layout of {@code AggregatesTable}: the sufficient statistics of per-unit totals, per experiment (or
 * rollout stage) × variant × metric, sharded by unit.
 * <ul>
 *   <li>{@code pk = "<key>#<scope>#<shard>"} — scope is {@code "-"} for experiments and
 *       {@code "s<stageIndex>"} for a rollout stage; shard from {@link Shards}.</li>
 *   <li>{@code sk = "<variant>"}: {@code units} = exposed units of the variant in that shard.</li>
 *   <li>{@code sk = "<variant>#<metric>"}: {@code positive} (units whose total is > 0), {@code sum} (Σx),
 *       {@code sumSq} (Σx²) over the shard's exposed units; and for CUPED, with c the unit's covariate for
 *       the metric (0 when none was given): {@code covSum} (Σc), {@code covSumSq} (Σc²), {@code covCross}
 *       (Σc·x), absent until some unit has a covariate; for a capped metric {@code capSum} (Σ min(x, cap)),
 *       {@code capSumSq} (Σ min(x, cap)²) and {@code capped} (units with x above the cap); for each ratio
 *       metric r with this metric as numerator or denominator, {@code ab#<r>}: the part of r's Σ
 *       numerator·denominator added by this metric's changes (r's Σab is the sum over both parts' items);
 *       for a quantile metric, one counter per sketch bin of
 *       its event values, {@code qv<bin>}, and for a mean metric capped at a percentile, one per sketch bin of
 *       its current unit totals, {@code qt<bin>} ({@link SketchBin#code()}: {@code qvz}, {@code qvp412},
 *       {@code qtn-3}).</li>
 * </ul>
 * Keys never contain '#' (key pattern), so the parts split unambiguously.
 */
public final class AggregateTable {
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String UNITS = "units";
    public static final String POSITIVE = "positive";
    public static final String SUM = "sum";
    public static final String SUM_SQUARES = "sumSq";
    public static final String COVARIATE_SUM = "covSum";
    public static final String COVARIATE_SUM_SQUARES = "covSumSq";
    public static final String CROSS_PRODUCTS = "covCross";
    public static final String CAPPED_SUM = "capSum";
    public static final String CAPPED_SUM_SQUARES = "capSumSq";
    public static final String CAPPED_UNITS = "capped";
    /** Prefix of a ratio metric's Σab attribute, followed by the ratio's key. */
    public static final String RATIO_PRODUCTS_PREFIX = "ab#";
    /** Prefix of the bin counters of a quantile metric's event values. */
    public static final String VALUE_BINS = "qv";
    /** Prefix of the bin counters of a percentile-capped metric's current unit totals. */
    public static final String TOTAL_BINS = "qt";

    private AggregateTable() {
    }

    public static String pk(String key, String scope, int shard) {
        return key + "#" + scope + "#" + shard;
    }

    public static String unitsSk(String variant) {
        return variant;
    }

    public static String metricSk(String variant, String metric) {
        return variant + "#" + metric;
    }

    /** The attribute counting a quantile metric's event values in {@code bin}. */
    public static String valueBin(SketchBin bin) {
        return VALUE_BINS + bin.code();
    }

    /** The attribute counting a percentile-capped metric's units whose total is in {@code bin}. */
    public static String totalBin(SketchBin bin) {
        return TOTAL_BINS + bin.code();
    }
}
