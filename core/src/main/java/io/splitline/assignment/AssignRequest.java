package io.splitline.assignment;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A validated {@code POST /assign} body. Instances come from {@link AssignmentJson#parseRequest}, which
 * enforces every limit, so one in hand is always valid.
 *
 * @param unitId     the unit to assign (1–256 printable characters)
 * @param attributes targeting attributes; values are String, Double (finite) or Boolean
 * @param keys       the experiment/rollout keys asked for, distinct, in request order; null when the
 *                   request named none (meaning every running experiment and active rollout)
 * @param track      whether to record first exposures (default true)
 * @param covariates CUPED covariates the app knows (metric → the unit's pre-exposure total), carried onto the
 *                   first exposures this request records; explicit ones win over derived ones
 */
public record AssignRequest(String unitId, Map<String, Object> attributes, List<String> keys, boolean track,
                            Map<String, BigDecimal> covariates) {
    public AssignRequest {
        attributes = Map.copyOf(attributes);
        covariates = Map.copyOf(covariates);
        keys = keys == null ? null : List.copyOf(keys);
    }

    /** True when the request named no keys: answer for every running experiment and active rollout. */
    public boolean allKeys() {
        return keys == null;
    }
}
