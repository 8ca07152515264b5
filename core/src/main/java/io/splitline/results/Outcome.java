package io.splitline.results;

import io.splitline.json.EnumCodec;

/** How a treatment compares with control on one metric, in the metric's own direction. */
public enum Outcome {
    /** Significant (Holm-adjusted) and in the metric's good direction. */
    BETTER,
    /** Significant (Holm-adjusted) and in the metric's bad direction. */
    WORSE,
    /** Not significant at the experiment's confidence level. */
    NOT_SIGNIFICANT;

    public String json() {
        return EnumCodec.name(this);
    }
}
