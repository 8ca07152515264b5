package io.splitline.ingest;

/** A unit within one experiment (or rollout stage): the key of its item in {@code UnitsTable}. */
public record UnitRef(String key, String scope, String unitId) {
    public String pk() {
        return UnitTable.pk(key, unitId);
    }
}
