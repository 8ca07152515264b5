package io.splitline.ingest;

/**
 * Layout of a unit's keyless history ({@link UnitHistory}) in {@code UnitsTable}, one item per unit across
 * experiments:
 * <ul>
 *   <li>{@code pk = "UNIT#<unitId>"}, {@code sk = "history"} (a unit item's sk is a scope, {@code "-"} or
 *       {@code "s<n>"}, so the two never meet);</li>
 *   <li>{@code days}: map UTC day ({@code yyyy-mm-dd}) → map metric → the unit's keyless total that day;</li>
 *   <li>{@code seq}: the last stream record folded into it; {@code ver}: bumped by every write, writes are
 *       conditional on it.</li>
 * </ul>
 */
public final class UnitHistoryTable {
    public static final String SK = "history";
    public static final String DAYS = "days";
    public static final String SEQUENCE = "seq";
    public static final String VERSION = "ver";

    private UnitHistoryTable() {
    }

    public static String pk(String unitId) {
        return "UNIT#" + unitId;
    }
}
