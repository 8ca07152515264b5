package io.splitline.assignment;

import io.splitline.json.EnumCodec;

/** Why a unit got the answer it got; the {@code reason} field of {@code POST /assign}. */
public enum AssignmentReason {
    /** In the experiment by hash: the only reason whose exposure counts in the statistics. */
    HASHED,
    /** Forced by the experiment's {@code overrides} (QA); wins over targeting, namespace and coverage. */
    OVERRIDE,
    /** The experiment exists but is not running (draft, paused, completed, archived). */
    NOT_RUNNING,
    /** Eligible, but the unit's hash falls outside every variant's range (coverage below 1). */
    NOT_COVERED,
    /** The targeting rule does not match the request's attributes. */
    NOT_TARGETED,
    /** The unit's namespace position is outside the experiment's namespace range. */
    NOT_IN_NAMESPACE,
    /** Would be in by hash, but held out by the running holdout the definition respects: control, not counted. */
    HOLDOUT,
    /** No experiment or rollout has this key (produced by the caller, never by an assigner). */
    UNKNOWN_KEY;

    public String json() {
        return EnumCodec.name(this);
    }
}
