package io.splitline.ingest;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * A unit's stored exposure and running totals.
 *
 * @param variant   arm recorded at first exposure
 * @param exposedAt ISO-8601 time of first exposure
 * @param version   the item's {@code ver}; 0 for a unit not yet written
 * @param totals    metric → total so far
 * @param covariates metric → the unit's pre-exposure total (CUPED's x), fixed at first exposure; absent is 0
 */
public record UnitState(String variant, String exposedAt, long version, Map<String, BigDecimal> totals,
                        Map<String, BigDecimal> covariates) {
    public UnitState {
        totals = Map.copyOf(totals);
        covariates = Map.copyOf(covariates);
    }

    /** A unit without covariates. */
    public UnitState(String variant, String exposedAt, long version, Map<String, BigDecimal> totals) {
        this(variant, exposedAt, version, totals, Map.of());
    }

    public BigDecimal covariate(String metric) {
        return covariates.getOrDefault(metric, BigDecimal.ZERO);
    }

    public BigDecimal total(String metric) {
        return totals.getOrDefault(metric, BigDecimal.ZERO);
    }

    /** The same unit with one metric's total replaced. */
    public UnitState withTotal(String metric, BigDecimal total) {
        Map<String, BigDecimal> next = new HashMap<>(totals);
        next.put(metric, total);
        return new UnitState(variant, exposedAt, version, next, covariates);
    }

    public UnitState withVersion(long next) {
        return new UnitState(variant, exposedAt, next, totals, covariates);
    }
}
