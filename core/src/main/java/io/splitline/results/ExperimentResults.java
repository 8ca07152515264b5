package io.splitline.results;

import io.splitline.experiment.Direction;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.experiment.MetricRole;
import io.splitline.experiment.MetricType;
import io.splitline.experiment.MultipleTestingCorrection;
import io.splitline.stats.Interval;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The statistics of one experiment at one moment, as served by {@code GET /experiments/{key}/results}
 * (written by {@link ResultsJson}). Every number is finite; a value the data cannot support is null and
 * the matching {@code notes}/{@code reason} says why.
 *
 * @param key             experiment key
 * @param status          lifecycle status when computed
 * @param computedAt      when computed
 * @param confidenceLevel the experiment's confidence level (α = 1 − confidenceLevel)
 * @param multipleTesting the adjustment of p-values across all comparisons
 * @param sequential      how the always-valid p-values and intervals are tuned
 * @param srm             sample ratio mismatch check
 * @param variants        per variant, in definition order
 * @param comparisons     each treatment × each metric, in definition order
 * @param chiSquare       the k-variant independence test of every conversion metric
 * @param power           sample size and progress for the primary metric
 * @param recommendation  what to do, and why
 * @param segments        exploratory results per value of each declared dimension (empty without segment data)
 * @param quantileMetrics the quantile metrics' results, in definition order
 * @param percentileCaps  the caps applied to mean metrics capped at a percentile, in definition order
 * @param segmentsComputedAt when the segment aggregates behind {@code segments} were read: the call's own time when it
 *                        read the segment partitions, an earlier one when it showed the stored roll-up (null without segments)
 */
public record ExperimentResults(String key, ExperimentStatus status, Instant computedAt, double confidenceLevel,
                                MultipleTestingCorrection multipleTesting, Sequential sequential, SrmCheck srm, List<VariantResult> variants, List<Comparison> comparisons,
                                List<ChiSquare> chiSquare, Power power, Recommendation recommendation,
                                List<SegmentResult> segments, List<QuantileMetricResult> quantileMetrics,
                                List<PercentileCaps.Applied> percentileCaps, Instant segmentsComputedAt) {
    public ExperimentResults {
        variants = List.copyOf(variants);
        comparisons = List.copyOf(comparisons);
        chiSquare = List.copyOf(chiSquare);
        segments = List.copyOf(segments);
        quantileMetrics = List.copyOf(quantileMetrics);
        percentileCaps = List.copyOf(percentileCaps);
    }

    /** The same results stamped as computed at {@code at}. */
    public ExperimentResults computedAt(Instant at) {
        return new ExperimentResults(key, status, at, confidenceLevel, multipleTesting, sequential, srm, variants, comparisons,
                chiSquare, power, recommendation, segments, quantileMetrics, percentileCaps, segmentsComputedAt);
    }

    /** The same results with {@code segmentResults}, computed from segment aggregates read at {@code readAt}. */
    ExperimentResults withSegments(List<SegmentResult> segmentResults, Instant readAt) {
        return new ExperimentResults(key, status, computedAt, confidenceLevel, multipleTesting, sequential, srm, variants, comparisons,
                chiSquare, power, recommendation, segmentResults, quantileMetrics, percentileCaps,
                segmentResults.isEmpty() ? null : readAt);
    }

    /** The comparison of a treatment on a metric, if there is one. */
    public Optional<Comparison> comparison(String variant, String metric) {
        return comparisons.stream().filter(c -> c.variant().equals(variant) && c.metric().equals(metric)).findFirst();
    }

    /**
     * The always-valid (mSPRT) view's settings.
     *
     * @param mixingEffectSize        τ_d, the mixing standard deviation in per-unit standard deviations
     * @param expectedUnitsPerVariant n*, the experiment's {@code expectedUnitsPerVariant}: τ_d is tuned for it (with α)
     * @param confidenceLevel         level of every {@code sequentialCi}: 1 − α / (treatments of positive weight)
     */
    public record Sequential(double mixingEffectSize, long expectedUnitsPerVariant, double confidenceLevel) {
    }

    /**
     * Chi-square goodness of fit of unit counts to the weights.
     *
     * @param pValue           p-value; 1 with no units
     * @param mismatch         {@code pValue < 0.001}: the split is broken and results must not be trusted
     * @param statistic        χ²
     * @param degreesOfFreedom variants of positive weight − 1
     * @param observed         variant → units
     * @param expected         variant → total units × weight
     * @param note             why the test is not applicable, or null
     */
    public record SrmCheck(double pValue, boolean mismatch, double statistic, int degreesOfFreedom,
                           Map<String, Long> observed, Map<String, Double> expected, String note) {
        public SrmCheck {
            // unmodifiable in their own order (the JSON follows it; Map.copyOf would not keep it): results are shared
            // between calls by the memo, and a segment's JSON text is reused for the same objects (SegmentsJson)
            observed = Collections.unmodifiableMap(new LinkedHashMap<>(observed));
            expected = Collections.unmodifiableMap(new LinkedHashMap<>(expected));
        }
    }

    /**
     * One variant.
     *
     * @param key     variant key
     * @param units   exposed units
     * @param metrics per metric, in definition order
     */
    public record VariantResult(String key, long units, List<VariantMetric> metrics) {
        public VariantResult {
            metrics = List.copyOf(metrics);
        }
    }

    /**
     * One metric in one variant. Conversion metrics fill {@code conversions} and {@code rate}; mean
     * metrics fill {@code mean} and {@code stdDev}; the others are null.
     *
     * @param metric      metric key
     * @param type        conversion or mean
     * @param units       exposed units of the variant
     * @param conversions units with a total above 0 (conversion)
     * @param rate        conversions / units, null with no units (conversion)
     * @param mean        mean per-unit total, null with no units (mean)
     * @param stdDev      sample standard deviation, null with fewer than 2 units (mean)
     * @param ci          Wilson (conversion) or t (mean) interval, or null
     * @param capping     a capped metric's cap and capped units (its mean, stdDev and ci are of the capped
     *                    totals), else null
     */
    public record VariantMetric(String metric, MetricType type, long units, Long conversions, Double rate,
                                Double mean, Double stdDev, Interval ci, Capping capping) {
        /** An uncapped metric. */
        public VariantMetric(String metric, MetricType type, long units, Long conversions, Double rate,
                             Double mean, Double stdDev, Interval ci) {
            this(metric, type, units, conversions, rate, mean, stdDev, ci, null);
        }
    }

    /**
     * A capped metric in one variant.
     *
     * @param value       the cap: each unit's total counts as min(total, value)
     * @param cappedUnits units whose total is above the cap
     */
    public record Capping(BigDecimal value, long cappedUnits) {
    }

    /**
     * One treatment against control on one metric.
     *
     * @param variant                  treatment key
     * @param metric                   metric key
     * @param type                     conversion or mean
     * @param direction                the metric's good direction
     * @param role                     primary, secondary or guardrail
     * @param absoluteLift             treatment − control, or null when an arm has no units
     * @param absoluteLiftCi           Newcombe (conversion) or Welch (mean) interval, or null
     * @param relativeLift             treatment / control − 1, or null when control is 0
     * @param relativeLiftCi           delta-method t interval at the confidence level (not adjusted), or null
     * @param test                     the test that decides significance: {@link io.splitline.stats.EffectTest#RELATIVE}
     *                                 or {@link io.splitline.stats.EffectTest#ABSOLUTE}
     * @param scale                    "relative" or "absolute": what {@code estimate} and {@code adjustedCi} measure
     * @param estimate                 the tested lift (relative or absolute), or null when the test is undefined
     * @param statistic                t of the test (0 when undefined)
     * @param degreesOfFreedom         Welch–Satterthwaite df, or null when undefined
     * @param pValue                   two-sided p-value of the test
     * @param adjustedPValue           adjusted across all comparisons of the experiment (Holm or Benjamini–Hochberg)
     * @param adjustedCi               the test's interval at {@code adjustedCiLevel}, or null when undefined:
     *                                 it excludes 0 exactly when the comparison is significant
     * @param adjustedCiLevel          1 − α·p/p̃, the level that agrees with {@code adjustedPValue}, or null
     * @param significant              {@code adjustedPValue <= 1 − confidenceLevel}
     * @param outcome                  better / worse / not significant, by the metric's direction
     * @param effectSize               Cohen's h (conversion) or d (mean), or null
     * @param sequentialPValue         two-sided always-valid (mSPRT) p-value
     * @param sequentialCi             always-valid interval for the absolute lift, or null
     * @param probabilityToBeatControl posterior probability that treatment is better, or null
     * @param expectedLoss             posterior expected shortfall of treatment, metric units, or null
     * @param notes                    why values are null or tests undefined; empty otherwise
     */
    public record Comparison(String variant, String metric, MetricType type, Direction direction, MetricRole role,
                             Double absoluteLift, Interval absoluteLiftCi, Double relativeLift,
                             Interval relativeLiftCi, String test, String scale, Double estimate, double statistic,
                             Double degreesOfFreedom, double pValue, double adjustedPValue, Interval adjustedCi,
                             Double adjustedCiLevel, boolean significant, Outcome outcome, Double effectSize,
                             double sequentialPValue, Interval sequentialCi, Double probabilityToBeatControl,
                             Double expectedLoss, List<String> notes, Cuped cuped) {
        public Comparison {
            notes = List.copyOf(notes);
        }
    }

    /**
     * The CUPED estimate of a comparison ({@link io.splitline.stats.CupedEstimate}): the same test as the raw
     * one on covariate-adjusted arms. Reported beside the raw estimate; the recommendation reads the raw one.
     *
     * @param theta                 θ, pooled over the two arms
     * @param varianceReduction     share of the variance of the difference removed (≈ ρ²), or null
     * @param adjustedControlMean   control's adjusted mean, or null with no units
     * @param adjustedTreatmentMean treatment's adjusted mean, or null with no units
     * @param test                  the test, as for the raw estimate (relative when defined, else absolute)
     * @param scale                 "relative" or "absolute"
     * @param estimate              the adjusted lift, or null when the test is undefined
     * @param ci                    its interval at the confidence level (not adjusted), or null
     * @param pValue                two-sided p-value
     * @param adjustedPValue        adjusted across the CUPED estimates of the same family, by the same correction
     * @param adjustedCi            interval at {@code adjustedCiLevel}: excludes 0 exactly when {@code significant}
     * @param adjustedCiLevel       1 − α·p/p̃, or null when undefined
     * @param significant           {@code adjustedPValue ≤ α}
     * @param notes                 why values are null or nothing was adjusted
     */
    public record Cuped(double theta, Double varianceReduction, Double adjustedControlMean, Double adjustedTreatmentMean,
                        String test, String scale, Double estimate, Interval ci, double pValue, double adjustedPValue,
                        Interval adjustedCi, Double adjustedCiLevel, boolean significant, List<String> notes) {
        public Cuped {
            notes = List.copyOf(notes);
        }
    }

    /**
     * The results of one segment, exploratory: the same tables as the whole experiment, p-values adjusted
     * across every comparison of every segment, and never read by the recommendation.
     *
     * @param dimension   dimension (attribute name)
     * @param value       the segment's value
     * @param srm         the segment's own sample ratio mismatch check
     * @param variants    per variant
     * @param comparisons each treatment × each metric within the segment
     */
    public record SegmentResult(String dimension, String value, SrmCheck srm, List<VariantResult> variants,
                                List<Comparison> comparisons) {
        public SegmentResult {
            variants = List.copyOf(variants);
            comparisons = List.copyOf(comparisons);
        }
    }

    /**
     * Chi-square test of independence between variant and conversion for one conversion metric.
     *
     * @param metric           metric key
     * @param statistic        χ²
     * @param degreesOfFreedom variants with units − 1
     * @param pValue           p-value; 1 when undefined
     * @param note             why undefined, or null
     */
    public record ChiSquare(String metric, double statistic, int degreesOfFreedom, double pValue, String note) {
    }

    /**
     * Sample size for the primary metric.
     *
     * @param metric                  the primary metric, or null when there is none
     * @param minimumDetectableEffect its relative MDE, or null
     * @param power                   target power (0.8)
     * @param requiredUnitsPerVariant units per variant needed, or null with {@code reason}
     * @param progress                smallest variant's units / required (may exceed 1), or null
     * @param reason                  why no requirement could be computed, or null
     */
    public record Power(String metric, Double minimumDetectableEffect, double power, Long requiredUnitsPerVariant,
                        Double progress, String reason) {
    }

    /**
     * @param decision what to do
     * @param variant  the variant to ship (only with {@link Decision#SHIP}), else null
     * @param reasons  human-readable reasons, most important first
     */
    public record Recommendation(Decision decision, String variant, List<String> reasons) {
        public Recommendation {
            reasons = List.copyOf(reasons);
        }
    }
}
