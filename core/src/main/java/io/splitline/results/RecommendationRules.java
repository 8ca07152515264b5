package io.splitline.results;

import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.experiment.Metric;
import io.splitline.experiment.MetricRole;
import io.splitline.experiment.Variant;
import io.splitline.results.ExperimentResults.Comparison;
import io.splitline.results.ExperimentResults.Power;
import io.splitline.results.ExperimentResults.Recommendation;
import io.splitline.results.ExperimentResults.SrmCheck;
import io.splitline.results.ExperimentResults.VariantResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleFunction;

/**
 * The recommendation, decided by the primary metric (role {@code primary}) with guardrails as vetoes.
 * The rules, first match wins:
 * <ol>
 * <li>{@code invalid}: the sample ratio mismatch check fails (p &lt; 0.001). Nothing else is trustworthy.</li>
 * <li>{@code needs_more_data}: a variant of positive weight has fewer than {@code minimumSampleSize} units.</li>
 * <li>{@code inconclusive}: the experiment has no primary metric (Splitline does not guess which metric
 * matters).</li>
 * <li>Each treatment of positive weight is classified on the primary metric:
 * <b>candidate</b> when its comparison is significantly better (adjusted p-value) <i>and</i> no guardrail is
 * significantly worse for it <i>and</i> the result is safe from peeking: the planned sample size (power
 * progress ≥ 1) is reached or its always-valid sequential p-value is at most α / (number of treatments);
 * <b>blocked</b> when it is significantly better but a guardrail is significantly worse;
 * <b>unconfirmed</b> when significantly better but not yet safe from peeking;
 * <b>worse</b> when significantly worse; <b>neutral</b> otherwise.</li>
 * <li>{@code ship}: at least one candidate; the one with the largest relative lift in the metric's good
 * direction (absolute lift when the relative one is undefined).</li>
 * <li>{@code needs_more_data}: an unconfirmed treatment, or a neutral one while the power target is known
 * and not reached.</li>
 * <li>{@code inconclusive}: a neutral treatment and no power target (no minimum detectable effect, or
 * control's data cannot give one).</li>
 * <li>{@code keep_control}: otherwise — every treatment is worse, blocked, or shows no effect of the
 * minimum detectable size although the planned sample size was reached.</li>
 * </ol>
 * So a {@code ship} is never given while SRM fails, below the minimum sample size, or while a guardrail
 * is significantly worse for the shipped variant.
 */
public final class RecommendationRules {
    private RecommendationRules() {
    }

    private enum Verdict { CANDIDATE, BLOCKED, UNCONFIRMED, WORSE, NEUTRAL }

    /** Applies the rules to computed results. */
    public static Recommendation recommend(ExperimentSpec spec, ExperimentStatus status, SrmCheck srm,
                                           List<VariantResult> variants, List<Comparison> comparisons, Power power) {
        if (status == ExperimentStatus.DRAFT) {
            return new Recommendation(Decision.NOT_STARTED, null, List.of("the experiment has not started: POST /experiments/"
                    + spec.key() + "/start to assign units and collect data"));
        }
        String level = percent(spec.confidenceLevel(), 0);
        if (srm.mismatch()) {
            return new Recommendation(Decision.INVALID, null, List.of(String.format(Locale.ROOT,
                    "sample ratio mismatch: the unit counts %s do not match the weights (expected %s; chi-square p = %s < %s). "
                            + "Check assignment and exposure logging before reading any result",
                    srm.observed(), rounded(srm.expected()), number(srm.pValue()), number(ResultsCalculator.SRM_THRESHOLD))));
        }
        List<String> small = new ArrayList<>();
        for (VariantResult v : variants) {
            if (weight(spec, v.key()) > 0 && v.units() < spec.minimumSampleSize()) {
                small.add(v.key() + " has " + v.units() + " units");
            }
        }
        if (!small.isEmpty()) {
            small.add("at least " + spec.minimumSampleSize() + " units per variant are needed (minimumSampleSize)");
            return new Recommendation(Decision.NEEDS_MORE_DATA, null, small);
        }
        Optional<Metric> primary = spec.metrics().stream().filter(m -> m.role() == MetricRole.PRIMARY).findFirst();
        if (primary.isEmpty()) {
            return new Recommendation(Decision.INCONCLUSIVE, null, List.of(
                    "no primary metric: give one metric the role \"primary\" to get a recommendation"));
        }
        String metric = primary.get().key();
        boolean powerReached = power.progress() != null && power.progress() >= 1;
        List<Variant> treatments = spec.variants().stream()
                .filter(v -> !v.key().equals(spec.control()) && v.weight() > 0).toList();
        double sequentialAlpha = ResultsCalculator.sequentialAlpha(spec);

        List<String> reasons = new ArrayList<>();
        List<Comparison> candidates = new ArrayList<>();
        boolean unconfirmed = false;
        boolean neutral = false;
        for (Variant t : treatments) {
            Comparison c = find(comparisons, t.key(), metric);
            List<Comparison> harmed = comparisons.stream().filter(x -> x.variant().equals(t.key())
                    && x.role() == MetricRole.GUARDRAIL && x.outcome() == Outcome.WORSE).toList();
            Verdict verdict = verdict(c, harmed, powerReached, sequentialAlpha);
            switch (verdict) {
                case CANDIDATE -> candidates.add(c);
                case BLOCKED -> reasons.add(t.key() + " improves " + metric + " (" + effect(c) + ") but significantly worsens "
                        + guardrails(harmed) + ": not shipped");
                case UNCONFIRMED -> {
                    unconfirmed = true;
                    reasons.add(String.format(Locale.ROOT, "%s looks better on %s (%s) but the planned sample size is not "
                                    + "reached and its always-valid p-value %s is above %s: keep collecting data (protection "
                                    + "against peeking)", t.key(), metric, effect(c), number(c.sequentialPValue()),
                            number(sequentialAlpha)));
                }
                case WORSE -> reasons.add(t.key() + " is significantly worse than " + spec.control() + " on " + metric
                        + " (" + effect(c) + ")");
                case NEUTRAL -> {
                    neutral = true;
                    reasons.add(t.key() + ": no significant difference on " + metric + " at " + level
                            + " confidence (adjusted p = " + number(c.adjustedPValue()) + ")");
                }
                default -> throw new IllegalStateException();
            }
            if (verdict != Verdict.BLOCKED && !harmed.isEmpty()) {
                reasons.add(t.key() + " significantly worsens " + guardrails(harmed));
            }
        }
        if (!candidates.isEmpty()) {
            Comparison best = candidates.stream().max(Comparator.comparingDouble(RecommendationRules::goodLift)).orElseThrow();
            List<String> shipReasons = new ArrayList<>();
            shipReasons.add(best.variant() + " is significantly better than " + spec.control() + " on " + metric + " ("
                    + effect(best) + ", probability to beat control " + percent(orZero(best.probabilityToBeatControl()), 2) + ")");
            shipReasons.add("no guardrail metric is significantly worse for " + best.variant());
            shipReasons.add(powerReached ? "the planned sample size is reached"
                    : "the always-valid p-value " + number(best.sequentialPValue()) + " is at most "
                    + number(sequentialAlpha) + ", so the result holds even though the results were looked at before the planned sample size");
            for (Comparison other : candidates) {
                if (other != best) {
                    shipReasons.add(other.variant() + " is also better (" + effect(other) + ") but less so");
                }
            }
            shipReasons.addAll(reasons);
            return new Recommendation(Decision.SHIP, best.variant(), shipReasons);
        }
        if (unconfirmed || (neutral && power.progress() != null && !powerReached)) {
            if (power.progress() != null && !powerReached) {
                reasons.add(String.format(Locale.ROOT, "%s of the %d units per variant needed to detect a %s effect on %s",
                        percent(power.progress(), 0), power.requiredUnitsPerVariant(),
                        percent(power.minimumDetectableEffect(), 1), metric));
            }
            return new Recommendation(Decision.NEEDS_MORE_DATA, null, reasons);
        }
        if (neutral && !powerReached) {
            reasons.add("no power target (" + power.reason() + "): set the primary metric's minimumDetectableEffect to "
                    + "know how long to run");
            return new Recommendation(Decision.INCONCLUSIVE, null, reasons);
        }
        if (neutral) {
            reasons.add(String.format(Locale.ROOT, "the planned %d units per variant are reached: an effect of %s or more "
                    + "on %s would most likely have been detected", power.requiredUnitsPerVariant(),
                    percent(power.minimumDetectableEffect(), 1), metric));
        }
        reasons.add("keep " + spec.control());
        return new Recommendation(Decision.KEEP_CONTROL, null, reasons);
    }

    private static Verdict verdict(Comparison c, List<Comparison> harmed, boolean powerReached, double sequentialAlpha) {
        if (c.outcome() == Outcome.WORSE) {
            return Verdict.WORSE;
        }
        if (c.outcome() != Outcome.BETTER) {
            return Verdict.NEUTRAL;
        }
        if (!harmed.isEmpty()) {
            return Verdict.BLOCKED;
        }
        return powerReached || c.sequentialPValue() <= sequentialAlpha ? Verdict.CANDIDATE : Verdict.UNCONFIRMED;
    }

    private static Comparison find(List<Comparison> comparisons, String variant, String metric) {
        return comparisons.stream().filter(c -> c.variant().equals(variant) && c.metric().equals(metric))
                .findFirst().orElseThrow();
    }

    private static double weight(ExperimentSpec spec, String variant) {
        return spec.variant(variant).map(Variant::weight).orElse(0.0);
    }

    /** Lift in the metric's good direction, relative when defined. */
    private static double goodLift(Comparison c) {
        double lift = c.relativeLift() != null ? c.relativeLift() : c.absoluteLift() != null ? c.absoluteLift() : 0;
        return ResultsCalculator.isGood(c.direction(), 1) ? lift : -lift;
    }

    /**
     * The deciding test's own numbers: its estimate, its interval at the level that agrees with the
     * adjusted p-value, that p-value, and the test's name, so the interval quoted excludes 0 exactly when
     * the comparison is significant.
     */
    private static String effect(Comparison c) {
        if (c.estimate() == null) {
            return String.format(Locale.ROOT, "%+.4g, adjusted p = %s", c.absoluteLift(), number(c.adjustedPValue()));
        }
        boolean relative = "relative".equals(c.scale());
        DoubleFunction<String> format = relative ? RecommendationRules::signedPercent
                : d -> String.format(Locale.ROOT, "%+.4g", d);
        return format.apply(c.estimate()) + ", " + percent(c.adjustedCiLevel(), 2) + " CI "
                + format.apply(c.adjustedCi().lower()) + " to " + format.apply(c.adjustedCi().upper())
                + ", adjusted p = " + number(c.adjustedPValue()) + " (" + c.test() + ")";
    }

    private static String guardrails(List<Comparison> harmed) {
        List<String> parts = new ArrayList<>();
        for (Comparison g : harmed) {
            parts.add("guardrail " + g.metric() + " (" + effect(g) + ")");
        }
        return String.join(", ", parts);
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }

    private static String number(double d) {
        return String.format(Locale.ROOT, "%.3g", d);
    }

    private static String percent(double d, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f%%", d * 100);
    }

    private static String signedPercent(double d) {
        return String.format(Locale.ROOT, "%+.2f%%", d * 100);
    }

    private static String rounded(Map<String, Double> expected) {
        Map<String, String> out = new LinkedHashMap<>();
        expected.forEach((k, v) -> out.put(k, String.format(Locale.ROOT, "%.1f", v)));
        return out.toString();
    }
}
