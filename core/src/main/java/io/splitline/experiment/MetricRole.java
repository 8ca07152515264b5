package io.splitline.experiment;

/** What a metric decides: the primary metric drives the recommendation; guardrails can veto it. */
public enum MetricRole {
    PRIMARY, SECONDARY, GUARDRAIL;

    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
