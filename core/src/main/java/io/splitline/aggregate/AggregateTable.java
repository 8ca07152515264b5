package io.splitline.aggregate;

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
 *       (Σc·x), absent until some unit has a covariate.</li>
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
}
