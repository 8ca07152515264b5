package io.splitline.experiment;

import io.splitline.json.EnumCodec;

/**
 * How an experiment's p-values are adjusted for testing every treatment on every metric (see
 * {@code io.splitline.stats.MultipleTesting} for the formulas).
 */
public enum MultipleTestingCorrection {
    /** Holm's step-down: the family-wise error rate (any false positive at all) stays at most α. */
    HOLM,
    /** Benjamini–Hochberg: the expected share of false positives among the significant results stays at most α. */
    BENJAMINI_HOCHBERG;

    public String json() {
        return EnumCodec.name(this);
    }
}
