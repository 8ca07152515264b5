package io.splitline.assignment;

import io.splitline.json.JsonValue;
import java.util.Objects;

/**
 * The answer for one unit and one experiment key.
 *
 * <p>Units outside the experiment get the control variant, {@code inExperiment = false} and no
 * config: the app shows its default experience and nothing is counted. A unit in the experiment
 * (by hash or by override) gets its variant's config, or null when the variant has none.
 *
 * @param variant      variant key; null only for {@link AssignmentReason#UNKNOWN_KEY}
 * @param inExperiment whether the unit takes part (by hash or override)
 * @param reason       why
 * @param config       the variant's config when {@code inExperiment}, else null (immutable, so answers
 *                     share it)
 */
public record Assignment(String variant, boolean inExperiment, AssignmentReason reason, JsonValue.JsonObject config) {

    private static final Assignment UNKNOWN_KEY = new Assignment(null, false, AssignmentReason.UNKNOWN_KEY, null);

    public Assignment {
        Objects.requireNonNull(reason, "reason");
        if (!inExperiment && config != null) {
            throw new IllegalArgumentException("units outside an experiment get no config");
        }
    }

    /** The answer for a key that names no experiment or rollout. */
    public static Assignment unknownKey() {
        return UNKNOWN_KEY;
    }

    /**
     * Whether {@code track: true} records this as the unit's exposure: whenever the unit is in the
     * experiment, as the API contract says — overridden (QA) units included, so their events count too.
     */
    public boolean recordsExposure() {
        return inExperiment;
    }
}
