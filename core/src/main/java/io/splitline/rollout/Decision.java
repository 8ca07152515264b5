package io.splitline.rollout;

import io.splitline.json.EnumCodec;
import java.util.Optional;

/**
 * What one entry of a rollout's history did: the scheduled step's four outcomes and {@link #MANUAL} for
 * everything an operator (or the creation) did. A {@link #HOLD} changes nothing but the history: it is
 * recorded so that a stuck rollout always says why it is stuck.
 */
public enum Decision {
    /** Healthy and baked: on to the next stage. */
    ADVANCE,
    /** Not enough data, still baking, or health unreadable: stay at the current percent. */
    HOLD,
    /** Unhealthy: back to 0 %, status {@code rolled_back}. */
    ROLLBACK,
    /** Healthy and baked at the last stage: status {@code completed} at 100 %. */
    COMPLETE,
    /** The rollout's target was changed by someone else ("target drifted"): status {@code paused}, percent kept. */
    PAUSE,
    /** An operator's action (create, start, pause, resume, promote, abort), named in the reason. */
    MANUAL;

    /** The API name ({@code rollback}). */
    public String json() {
        return EnumCodec.name(this);
    }

    public static Optional<Decision> fromJson(String name) {
        return EnumCodec.parse(Decision.class, name);
    }
}
