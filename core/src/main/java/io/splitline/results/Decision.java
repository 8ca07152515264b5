package io.splitline.results;

import io.splitline.json.EnumCodec;

/** What the results recommend doing with an experiment; see {@link RecommendationRules} for when. */
public enum Decision {
    /** Roll out the recommended variant. */
    SHIP,
    /** No treatment is worth shipping: stay on control. */
    KEEP_CONTROL,
    /** The data cannot answer the question as asked (for example: no primary metric). */
    INCONCLUSIVE,
    /** Keep the experiment running. */
    NEEDS_MORE_DATA,
    /** A draft: nothing to read until it is started. */
    NOT_STARTED,
    /** The data is not trustworthy (sample ratio mismatch): fix the cause before reading anything. */
    INVALID;

    public String json() {
        return EnumCodec.name(this);
    }
}
