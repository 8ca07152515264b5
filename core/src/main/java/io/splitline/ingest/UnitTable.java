package io.splitline.ingest;

/**
 * Layout of {@code UnitsTable}: a unit's first exposure to an experiment (or rollout stage) and its
 * running per-metric totals, the state that makes unit-level aggregates exact.
 * <ul>
 *   <li>{@code pk = "<key>#<unitId>"}, {@code sk = scope} ({@code "-"}, or {@code "s<stageIndex>"}).</li>
 *   <li>{@code variant}: the arm recorded at first exposure, to which every later event is attributed.</li>
 *   <li>{@code exposedAt}: ISO-8601 time of the first exposure.</li>
 *   <li>{@code totals}: map metric → the unit's total so far.</li>
 *   <li>{@code cov}: map metric → the unit's covariate for CUPED, given at first exposure (absent: none).</li>
 *   <li>{@code ver}: bumped by every write; writes are conditional on it, so two ingests of the same
 *       unit can never both apply a change computed from the same old total.</li>
 * </ul>
 */
public final class UnitTable {
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String VARIANT = "variant";
    public static final String EXPOSED_AT = "exposedAt";
    public static final String TOTALS = "totals";
    public static final String VERSION = "ver";
    public static final String COVARIATES = "cov";

    private UnitTable() {
    }

    public static String pk(String key, String unitId) {
        return key + "#" + unitId;
    }
}
