package io.splitline.experiment;

import io.splitline.json.EnumCodec;

/** What a metric decides: the primary metric drives the recommendation; guardrails can veto it. */
public enum MetricRole {
    PRIMARY, SECONDARY, GUARDRAIL;

    public String json() {
        return EnumCodec.name(this);
    }
}
