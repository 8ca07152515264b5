package io.splitline.stats;

/**
 * What one arm contributes to a test: the number of units and the mean and variance of a per-unit value.
 * The two kinds differ in how the variance is known: a proportion's unit variance is p(1-p) (a unit
 * either converted or not), a continuous metric's is the unbiased sample variance of per-unit totals.
 */
public sealed interface Sample permits ProportionSample, MeanSample {
    /** Units in the arm (the unit of analysis: users, not events). */
    long units();

    /** Mean of the per-unit value; 0 when there are no units. */
    double mean();

    /** Per-unit variance used for the standard error of the mean; 0 when not estimable. */
    double unitVariance();
}
