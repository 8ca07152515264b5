package io.splitline.results;

import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.Direction;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.experiment.Metric;
import io.splitline.experiment.MetricRole;
import io.splitline.experiment.MetricType;
import io.splitline.experiment.MultipleTestingCorrection;
import io.splitline.experiment.Variant;
import io.splitline.results.ExperimentResults.ChiSquare;
import io.splitline.results.ExperimentResults.Comparison;
import io.splitline.results.ExperimentResults.Power;
import io.splitline.results.ExperimentResults.SegmentResult;
import io.splitline.results.ExperimentResults.Sequential;
import io.splitline.results.ExperimentResults.SrmCheck;
import io.splitline.results.ExperimentResults.VariantMetric;
import io.splitline.results.ExperimentResults.VariantResult;
import io.splitline.stats.BayesianComparison;
import io.splitline.stats.ChiSquareTests;
import io.splitline.stats.ConfidenceIntervals;
import io.splitline.stats.CovariateMoments;
import io.splitline.stats.CovariateSums;
import io.splitline.stats.CupedEstimate;
import io.splitline.stats.EffectSizes;
import io.splitline.stats.EffectTest;
import io.splitline.stats.Interval;
import io.splitline.stats.Lift;
import io.splitline.stats.LiftEstimates;
import io.splitline.stats.MeanSample;
import io.splitline.stats.MultipleTesting;
import io.splitline.stats.PowerAnalysis;
import io.splitline.stats.ProportionSample;
import io.splitline.stats.Sample;
import io.splitline.stats.SequentialTest;
import io.splitline.stats.TestResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes an experiment's results from its per-variant aggregates: plain arithmetic on sufficient
 * statistics, so the cost is O(variants × metrics) whatever the number of events, and the same input
 * always gives the same output (no sampling, no clock: {@code now} is passed in).
 *
 * <p>Every treatment is compared with the control on every metric by one {@link EffectTest} (relative
 * lift when defined, else absolute); the experiment's multiple-testing adjustment (Holm or
 * Benjamini–Hochberg) runs over all those comparisons, and each comparison's interval is taken at the
 * error rate that agrees with its adjusted p-value ({@link MultipleTesting#intervalErrorRate}), so that
 * {@code significant} ⇔ {@code adjustedPValue ≤ α} ⇔ the interval excludes 0. Variants missing from
 * {@code data} have no units; aggregates of variants the definition does not know are ignored (logged).
 *
 * <p>Optional inputs add to the output without changing the rest: covariate sums in the aggregates give
 * each comparison a {@code cuped} estimate, and segment aggregates give the exploratory {@code segments}
 * ({@link SegmentResults}).
 */
public final class ResultsCalculator {
    private static final Logger LOG = LoggerFactory.getLogger(ResultsCalculator.class);
    /** The sample ratio mismatch threshold: below it the split is treated as broken. */
    public static final double SRM_THRESHOLD = 0.001;

    private ResultsCalculator() {
    }

    /**
     * @param spec   the experiment's definition (variants, weights, control, metrics, confidence level)
     * @param status its lifecycle status, echoed in the result
     * @param data   one entry per variant (missing variants count as empty)
     * @param now    the computation time, echoed as {@code computedAt}
     */
    public static ExperimentResults compute(ExperimentSpec spec, ExperimentStatus status, List<VariantAggregates> data,
                                            Instant now) {
        return compute(spec, status, data, List.of(), now);
    }

    /**
     * As {@link #compute(ExperimentSpec, ExperimentStatus, List, Instant)}, with the aggregates of segments.
     *
     * @param segments per dimension value, the same aggregates over that segment's units (may be empty)
     */
    public static ExperimentResults compute(ExperimentSpec spec, ExperimentStatus status, List<VariantAggregates> data,
                                            List<SegmentAggregates> segments, Instant now) {
        Map<String, VariantAggregates> raw = index(spec, data);
        PercentileCaps.Capped capped = PercentileCaps.apply(spec, raw);
        Map<String, VariantAggregates> byVariant = capped.byVariant();
        double alpha = 1 - spec.confidenceLevel();
        SrmCheck srm = srm(spec, byVariant);
        List<VariantResult> variants = new ArrayList<>();
        for (Variant v : spec.variants()) {
            variants.add(variantResult(spec, byVariant.get(v.key())));
        }
        Sequential sequential = sequential(spec);
        List<Comparison> comparisons = comparisons(spec, byVariant, alpha, sequential);
        List<ChiSquare> chiSquare = chiSquare(spec, byVariant);
        Power power = power(spec, byVariant, alpha);
        ExperimentResults.Recommendation recommendation =
                RecommendationRules.recommend(spec, status, srm, variants, comparisons, power);
        return new ExperimentResults(spec.key(), status, now, spec.confidenceLevel(), spec.multipleTesting(), sequential,
                srm, variants, comparisons, chiSquare, power, recommendation,
                SegmentResults.compute(spec, segments, sequential), QuantileMetricResult.compute(spec, raw), capped.applied(),
                segments.isEmpty() ? null : now);
    }

    /** The {@code segments} of {@link #compute(ExperimentSpec, ExperimentStatus, List, List, Instant)}: a function of the definition and the segments only. */
    static List<SegmentResult> segments(ExperimentSpec spec, List<SegmentAggregates> segments) {
        return SegmentResults.compute(spec, segments, sequential(spec));
    }

    /**
     * The error rate at which a treatment's always-valid p-value makes it safe from peeking: α shared
     * by the treatments of positive weight (Bonferroni over the treatments).
     */
    static double sequentialAlpha(ExperimentSpec spec) {
        long treatments = spec.variants().stream().filter(v -> !v.key().equals(spec.control()) && v.weight() > 0).count();
        return (1 - spec.confidenceLevel()) / Math.max(1, treatments);
    }

    private static Sequential sequential(ExperimentSpec spec) {
        double tau = SequentialTest.tunedMixingEffectSize(1 - spec.confidenceLevel(), spec.expectedUnitsPerVariant());
        return new Sequential(tau, spec.expectedUnitsPerVariant(), 1 - sequentialAlpha(spec));
    }

    static Map<String, VariantAggregates> index(ExperimentSpec spec, List<VariantAggregates> data) {
        Map<String, VariantAggregates> byVariant = new LinkedHashMap<>();
        for (Variant v : spec.variants()) {
            byVariant.put(v.key(), VariantAggregates.empty(v.key()));
        }
        Set<String> seen = new HashSet<>();
        for (VariantAggregates a : data) {
            if (!byVariant.containsKey(a.variant())) {
                LOG.warn("experiment {}: ignoring aggregates of unknown variant {}", spec.key(), a.variant());
                continue;
            }
            if (!seen.add(a.variant())) {
                throw new IllegalArgumentException("aggregates of variant " + a.variant() + " given twice");
            }
            byVariant.put(a.variant(), a);
        }
        return byVariant;
    }

    static SrmCheck srm(ExperimentSpec spec, Map<String, VariantAggregates> byVariant) {
        int k = spec.variants().size();
        long[] observed = new long[k];
        double[] weights = new double[k];
        for (int i = 0; i < k; i++) {
            Variant v = spec.variants().get(i);
            observed[i] = byVariant.get(v.key()).units();
            weights[i] = v.weight();
        }
        ChiSquareTests.GoodnessOfFit fit = ChiSquareTests.goodnessOfFit(observed, weights);
        double[] expected = fit.expected();
        Map<String, Long> observedByKey = new LinkedHashMap<>();
        Map<String, Double> expectedByKey = new LinkedHashMap<>();
        for (int i = 0; i < k; i++) {
            observedByKey.put(spec.variants().get(i).key(), observed[i]);
            expectedByKey.put(spec.variants().get(i).key(), expected[i]);
        }
        TestResult test = fit.test();
        return new SrmCheck(test.pValue(), test.pValue() < SRM_THRESHOLD, test.statistic(),
                test.degreesOfFreedom().intValue(), observedByKey, expectedByKey, test.note());
    }

    static VariantResult variantResult(ExperimentSpec spec, VariantAggregates a) {
        List<VariantMetric> metrics = new ArrayList<>();
        for (Metric m : spec.metrics()) {
            if (m.type() == MetricType.QUANTILE) {
                continue; // reported in quantileMetrics
            }
            Sample s = sample(m, a);
            if (s instanceof ProportionSample p) {
                metrics.add(new VariantMetric(m.key(), m.type(), a.units(), p.conversions(),
                        p.units() == 0 ? null : p.rate(), null, null,
                        ConfidenceIntervals.wilson(p, spec.confidenceLevel())));
            } else {
                MeanSample ms = (MeanSample) s;
                metrics.add(new VariantMetric(m.key(), m.type(), a.units(), null, null,
                        ms.units() == 0 ? null : ms.mean(), ms.units() < 2 ? null : ms.standardDeviation(),
                        ConfidenceIntervals.mean(ms, spec.confidenceLevel()), CappedResults.capping(m, a)));
            }
        }
        return new VariantResult(a.variant(), a.units(), metrics);
    }

    static Sample sample(Metric metric, VariantAggregates a) {
        return switch (metric.type()) {
            case CONVERSION -> a.metric(metric.key()).proportion(a.units());
            case MEAN -> CappedResults.aggregate(metric, a).mean(a.units());
            case RATIO -> RatioResults.sample(metric, a);
            case QUANTILE -> throw new IllegalArgumentException("a quantile metric has no per-unit sample: see QuantileMetricResult");
        };
    }

    /** One comparison before the multiple-testing adjustment, which needs all of them. */
    record Unadjusted(String variant, Metric metric, Lift lift, EffectTest test, Double effectSize,
                      double sequentialPValue, Interval sequentialCi, BayesianComparison.Result bayes,
                      CupedEstimate cuped) {
    }

    private static List<Comparison> comparisons(ExperimentSpec spec, Map<String, VariantAggregates> byVariant,
                                                double alpha, Sequential sequential) {
        return adjust(spec, unadjusted(spec, byVariant, sequential), alpha);
    }

    /** Every treatment × every metric, in definition order, before the adjustment. */
    static List<Unadjusted> unadjusted(ExperimentSpec spec, Map<String, VariantAggregates> byVariant, Sequential sequential) {
        VariantAggregates control = byVariant.get(spec.control());
        SequentialTest sequentialTest = new SequentialTest(sequential.mixingEffectSize());
        // not 1 − sequential.confidenceLevel(): that level rounds to 1 when α is a few ulps (confidenceLevel just below 1)
        double sequentialAlpha = sequentialAlpha(spec);
        List<Unadjusted> raw = new ArrayList<>();
        for (Variant v : spec.variants()) {
            if (v.key().equals(spec.control())) {
                continue;
            }
            for (Metric m : spec.metrics()) {
                if (m.type() == MetricType.QUANTILE) {
                    continue; // compared in quantileMetrics
                }
                raw.add(compare(spec, m, control, byVariant.get(v.key()), sequentialTest, sequentialAlpha));
            }
        }
        return raw;
    }

    /** The comparisons, adjusted as one family by the experiment's correction (raw and CUPED separately). */
    static List<Comparison> adjust(ExperimentSpec spec, List<Unadjusted> raw, double alpha) {
        double[] p = raw.stream().mapToDouble(u -> u.test.pValue()).toArray();
        double[] adjusted = adjust(spec, p);
        double[] cupedP = raw.stream().filter(u -> u.cuped != null).mapToDouble(u -> u.cuped.test().pValue()).toArray();
        double[] cupedAdjusted = adjust(spec, cupedP);
        int cupedIndex = 0;
        List<Comparison> comparisons = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            Unadjusted u = raw.get(i);
            double errorRate = MultipleTesting.intervalErrorRate(alpha, p[i], adjusted[i], raw.size());
            Interval decisionCi = u.test.interval(errorRate);
            boolean significant = significant(u.test, adjusted[i], alpha, decisionCi);
            Outcome outcome = !significant ? Outcome.NOT_SIGNIFICANT
                    : isGood(u.metric.direction(), u.lift.absolute()) ? Outcome.BETTER : Outcome.WORSE;
            List<String> notes = new ArrayList<>();
            // "an arm has no units" says all there is to say; the test's own reason is for arms that have some.
            if (u.test.note() != null && !u.lift.notes().contains(LiftEstimates.NO_UNITS)) {
                notes.add(u.test.note());
            }
            u.lift.notes().stream().filter(n -> !notes.contains(n)).forEach(notes::add);
            comparisons.add(new Comparison(u.variant, u.metric.key(), u.metric.type(), u.metric.direction(),
                    u.metric.role(), u.lift.absolute(), u.lift.absoluteCi(), u.lift.relative(), u.lift.relativeCi(),
                    u.test.method(), u.test.scale(), u.test.defined() ? u.test.estimate() : null,
                    u.test.statistic(), u.test.defined() ? u.test.degreesOfFreedom() : null,
                    u.test.pValue(), adjusted[i], decisionCi, u.test.defined() ? 1 - errorRate : null,
                    significant, outcome, u.effectSize, u.sequentialPValue, u.sequentialCi,
                    u.bayes == null ? null : u.bayes.probabilityToBeatControl(),
                    u.bayes == null ? null : u.bayes.expectedLoss(), notes,
                    u.cuped == null ? null : cuped(u.cuped, alpha, cupedP[cupedIndex], cupedAdjusted[cupedIndex++], cupedP.length)));
        }
        return comparisons;
    }

    private static double[] adjust(ExperimentSpec spec, double[] p) {
        return spec.multipleTesting() == MultipleTestingCorrection.BENJAMINI_HOCHBERG
                ? MultipleTesting.benjaminiHochberg(p) : MultipleTesting.holm(p);
    }

    private static ExperimentResults.Cuped cuped(CupedEstimate c, double alpha, double p, double adjusted, int family) {
        EffectTest test = c.test();
        double errorRate = MultipleTesting.intervalErrorRate(alpha, p, adjusted, family);
        List<String> notes = new ArrayList<>();
        if (test.note() != null) {
            notes.add(test.note());
        }
        if (c.note() != null) {
            notes.add(c.note());
        }
        Interval decisionCi = test.interval(errorRate);
        return new ExperimentResults.Cuped(c.theta(), c.varianceReduction(),
                c.adjustedControl().units() == 0 ? null : c.adjustedControl().mean(),
                c.adjustedTreatment().units() == 0 ? null : c.adjustedTreatment().mean(),
                test.method(), test.scale(), test.defined() ? test.estimate() : null, test.interval(alpha), p, adjusted,
                decisionCi, test.defined() ? 1 - errorRate : null,
                significant(test, adjusted, alpha, decisionCi), notes);
    }

    /**
     * The decision of a raw or CUPED comparison: its adjusted p-value passes α and its decision interval (at γ)
     * excludes 0. The two agree but for a tie: p and the interval come from one statistic through two
     * floating-point inversions (the tail probability of t, the quantile of γ), so when p equals γ to the last few
     * digits they can disagree by an ulp. Such a tie is not significant: a decision never quotes an interval that
     * includes 0.
     */
    private static boolean significant(EffectTest test, double adjusted, double alpha, Interval decisionCi) {
        return test.defined() && adjusted <= alpha && !(decisionCi != null && decisionCi.contains(0));
    }

    private static Unadjusted compare(ExperimentSpec spec, Metric m, VariantAggregates control, VariantAggregates treatment,
                                      SequentialTest sequential, double sequentialAlpha) {
        double confidence = spec.confidenceLevel();
        if (m.type() == MetricType.CONVERSION) {
            ProportionSample c = control.metric(m.key()).proportion(control.units());
            ProportionSample t = treatment.metric(m.key()).proportion(treatment.units());
            return new Unadjusted(treatment.variant(), m, LiftEstimates.proportions(c, t, confidence),
                    EffectTest.decisive(c, t), EffectSizes.cohensH(c, t), sequential.twoSided(c, t).pValue(),
                    sequential.twoSidedInterval(c, t, sequentialAlpha), BayesianComparison.proportions(c, t, m.direction()),
                    cuped(m, control, treatment));
        }
        MeanSample c = (MeanSample) sample(m, control);
        MeanSample t = (MeanSample) sample(m, treatment);
        List<String> ratioNotes = m.type() == MetricType.RATIO ? RatioResults.notes(m, control, treatment) : List.of();
        if (ratioNotes.contains(RatioResults.NO_PRODUCTS)) {
            // one arm's variance alone would make a test that ignores the other's: test neither
            c = new MeanSample(c.units(), c.mean(), 0);
            t = new MeanSample(t.units(), t.mean(), 0);
        }
        Lift lift = LiftEstimates.means(c, t, confidence);
        if (!ratioNotes.isEmpty()) {
            List<String> notes = new ArrayList<>(ratioNotes);
            notes.addAll(lift.notes());
            lift = new Lift(lift.absolute(), lift.absoluteCi(), lift.relative(), lift.relativeCi(), notes);
        }
        return new Unadjusted(treatment.variant(), m, lift,
                EffectTest.decisive(c, t), EffectSizes.cohensD(c, t), sequential.twoSided(c, t).pValue(),
                sequential.twoSidedInterval(c, t, sequentialAlpha), BayesianComparison.means(c, t, m.direction()),
                cuped(m, control, treatment));
    }

    /**
     * CUPED when either arm carries covariate sums for the metric (an arm without them has x = 0 throughout).
     * None for a capped metric: the kept Σxy is of the uncapped totals.
     */
    private static CupedEstimate cuped(Metric m, VariantAggregates control, VariantAggregates treatment) {
        if (m.type() == MetricType.RATIO || m.cap() != null) {
            return null;
        }
        CovariateSums c = control.covariates().get(m.key());
        CovariateSums t = treatment.covariates().get(m.key());
        if (c == null && t == null) {
            return null;
        }
        boolean conversion = m.type() == MetricType.CONVERSION;
        return CupedEstimate.of(
                CovariateMoments.of(control.units(), control.metric(m.key()), conversion, c == null ? CovariateSums.EMPTY : c),
                CovariateMoments.of(treatment.units(), treatment.metric(m.key()), conversion, t == null ? CovariateSums.EMPTY : t));
    }

    static boolean isGood(Direction direction, double difference) {
        return direction == Direction.INCREASE ? difference > 0 : difference < 0;
    }

    private static List<ChiSquare> chiSquare(ExperimentSpec spec, Map<String, VariantAggregates> byVariant) {
        List<ChiSquare> tests = new ArrayList<>();
        for (Metric m : spec.metrics()) {
            if (m.type() != MetricType.CONVERSION) {
                continue;
            }
            List<ProportionSample> arms = new ArrayList<>();
            for (Variant v : spec.variants()) {
                VariantAggregates a = byVariant.get(v.key());
                arms.add(a.metric(m.key()).proportion(a.units()));
            }
            TestResult t = ChiSquareTests.independence(arms);
            tests.add(new ChiSquare(m.key(), t.statistic(), t.degreesOfFreedom().intValue(), t.pValue(), t.note()));
        }
        return tests;
    }

    private static Power power(ExperimentSpec spec, Map<String, VariantAggregates> byVariant, double alpha) {
        double target = PowerAnalysis.DEFAULT_POWER;
        Optional<Metric> primary = spec.metrics().stream().filter(m -> m.role() == MetricRole.PRIMARY).findFirst();
        if (primary.isEmpty()) {
            return new Power(null, null, target, null, null, "no primary metric");
        }
        Metric m = primary.get();
        if (m.minimumDetectableEffect() == null) {
            return new Power(m.key(), null, target, null, null,
                    "the primary metric has no minimumDetectableEffect");
        }
        Sample control = sample(m, byVariant.get(spec.control()));
        PowerAnalysis.Requirement r = control instanceof ProportionSample p
                ? PowerAnalysis.proportions(p, m.minimumDetectableEffect(), m.direction(), alpha, target)
                : PowerAnalysis.means((MeanSample) control, m.minimumDetectableEffect(), alpha, target);
        if (r.requiredUnitsPerVariant() == null) {
            return new Power(m.key(), m.minimumDetectableEffect(), target, null, null, r.reason());
        }
        long smallest = spec.variants().stream().filter(v -> v.weight() > 0)
                .mapToLong(v -> byVariant.get(v.key()).units()).min().orElse(0);
        return new Power(m.key(), m.minimumDetectableEffect(), target, r.requiredUnitsPerVariant(),
                (double) smallest / r.requiredUnitsPerVariant(), null);
    }
}
