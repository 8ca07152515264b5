package io.splitline.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.aggregate.CappedSums;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.experiment.Metric;
import io.splitline.experiment.MetricType;
import io.splitline.experiment.Variant;
import io.splitline.json.Json;
import io.splitline.results.ExperimentResults.Comparison;
import io.splitline.stats.CovariateSums;
import io.splitline.stats.Interval;
import io.splitline.stats.MetricAggregate;
import io.splitline.stats.QuantileSketch;
import io.splitline.stats.SketchBin;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fixed-seed fuzzing of {@link ResultsCalculator#compute}: random valid definitions (2–5 variants, a weight of 0
 * sometimes, 1–6 metrics of every type, role and direction, confidence levels up to their extremes, both
 * corrections) and random aggregates that ingest could produce, weighted towards the extremes (0 or 1 unit,
 * none or all converted, 10⁹ units, constant values, a tiny spread around a huge mean, negative values,
 * metrics or variants without data). The aggregates are exactly consistent: every arm is a few groups of
 * identical units, and all sums are taken over those groups in exact decimals, as ingest sums them.
 *
 * <p>Every case must give: no exception; finite numbers only in the JSON; p-values and probabilities in
 * [0, 1]; intervals with lower ≤ upper; and no {@code significant} comparison (raw or CUPED, whole or segment)
 * whose interval quoted for the decision ({@code adjustedCi}) includes 0. A failure prints the case's seed
 * (rerun it alone with {@link #oneCase}) and the case. {@code -Dfuzz.seed=…} and {@code -Dfuzz.cases=…} run
 * other or more cases (5 000 take about 5 s).
 */
class ResultsFuzzTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final long SEED = Long.getLong("fuzz.seed", 20261203L);
    private static final int CASES = Integer.getInteger("fuzz.cases", 5000);

    @Test
    void randomValidExperiments_giveDefinedResults() {
        Random seeds = new Random(SEED);
        List<String> failures = new ArrayList<>();
        long[] seen = new long[3];
        for (int i = 0; i < CASES; i++) {
            long caseSeed = seeds.nextLong();
            String failure = oneCase(caseSeed, seen);
            if (failure != null) {
                failures.add("case " + i + " (seed " + SEED + ", case seed " + caseSeed + "L): " + failure);
            }
        }
        if (!failures.isEmpty()) {
            Map<String, Long> kinds = new java.util.TreeMap<>();
            failures.forEach(f -> kinds.merge(f.replaceAll("^case \\d+ \\([^)]*\\): ", "").lines().findFirst().orElse("")
                    .replaceAll("(?<![A-Za-z0-9])-?\\d+(\\.\\d+)?(E-?\\d+)?", "#"), 1L, Long::sum));
            fail(failures.size() + " of " + CASES + " cases failed, by kind: " + kinds + "\nthe first:\n"
                    + String.join("\n\n", failures.subList(0, Math.min(5, failures.size()))));
        }
        // the cases reach what the checks are about
        assertTrue(seen[0] > CASES / 10 && seen[1] > CASES / 10 && seen[2] > CASES / 10,
                "significant comparisons, CUPED estimates, segment results: " + java.util.Arrays.toString(seen));
    }

    /** One case from its seed: null when it passes, else what failed and the case. */
    static String oneCase(long caseSeed) {
        return oneCase(caseSeed, new long[3]);
    }

    /** As {@link #oneCase(long)}, counting into {@code seen} significant comparisons, CUPED estimates and segment results. */
    private static String oneCase(long caseSeed, long[] seen) {
        Case c;
        try {
            c = new Generator(new Random(caseSeed)).generate();
        } catch (RuntimeException e) {
            return "the generator failed: " + e;
        }
        try {
            ExperimentResults r = ResultsCalculator.compute(c.spec, ExperimentStatus.RUNNING, c.data, c.segments, NOW);
            seen[2] += r.segments().size();
            for (Comparison comparison : r.comparisons()) {
                seen[0] += comparison.significant() ? 1 : 0;
                seen[1] += comparison.cuped() != null ? 1 : 0;
                checkDecision(comparison.significant(), comparison.adjustedCi(), comparison.variant() + "/" + comparison.metric());
                if (comparison.cuped() != null) {
                    checkDecision(comparison.cuped().significant(), comparison.cuped().adjustedCi(),
                            comparison.variant() + "/" + comparison.metric() + " cuped");
                }
            }
            JsonNode json = ResultsJson.toJson(r);
            ResultsEdgeCasesTest.assertAllNumbersFinite(json, "$");
            checkJson(json, "$");
            return null;
        } catch (Throwable t) {
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            String[] lines = trace.toString().split("\n");
            return String.join("\n", List.of(lines).subList(0, Math.min(8, lines.length))) + "\n" + c;
        }
    }

    private static void checkDecision(boolean significant, Interval quoted, String where) {
        if (significant) {
            assertTrue(quoted != null && !quoted.contains(0), where + ": significant, but the quoted interval " + quoted
                    + " includes 0");
        }
    }

    /** p-values and probabilities in [0, 1], intervals ordered, significance backed by its interval, everywhere. */
    private static void checkJson(JsonNode node, String path) {
        if (node.isObject()) {
            if (node.path("significant").asBoolean(false)) {
                JsonNode ci = node.path("adjustedCi");
                assertTrue(ci.isArray() && (ci.get(0).doubleValue() > 0 || ci.get(1).doubleValue() < 0),
                        path + ": significant while adjustedCi " + ci + " includes 0");
            }
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = e.getKey();
                if ((name.equals("pValue") || name.endsWith("PValue") || name.equals("probabilityToBeatControl"))
                        && e.getValue().isNumber()) {
                    double p = e.getValue().doubleValue();
                    assertTrue(p >= 0 && p <= 1, path + "." + name + " = " + p + " is not in [0, 1]");
                }
                if ((name.equals("ci") || name.endsWith("Ci")) && e.getValue().isArray()) {
                    JsonNode ci = e.getValue();
                    assertTrue(ci.size() == 2 && ci.get(0).doubleValue() <= ci.get(1).doubleValue(),
                            path + "." + name + " = " + ci + " is not an interval lower ≤ upper");
                }
                checkJson(e.getValue(), path + "." + name);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkJson(node.get(i), path + "[" + i + "]");
            }
        }
    }

    @Test
    void theChecks_catchABrokenResult() {
        // the JSON checks fail on what they are meant to catch (the guard against a fuzz test that checks nothing)
        JsonNode bad = Json.parse("{\"comparisons\": [{\"pValue\": 1.5, \"significant\": false}]}");
        assertTrue(throwsAssertion(() -> checkJson(bad, "$")));
        JsonNode insignificant = Json.parse(
                "{\"comparisons\": [{\"pValue\": 0.01, \"significant\": true, \"adjustedCi\": [-1, 2]}]}");
        assertTrue(throwsAssertion(() -> checkJson(insignificant, "$")));
        JsonNode reversed = Json.parse("{\"ci\": [2, 1]}");
        assertTrue(throwsAssertion(() -> checkJson(reversed, "$")));
        JsonNode fine = Json.parse(
                "{\"comparisons\": [{\"pValue\": 0.01, \"significant\": true, \"adjustedCi\": [0.5, 2], \"ci\": [1, 1]}]}");
        checkJson(fine, "$");
        assertEquals(null, oneCase(1L));
    }

    private static boolean throwsAssertion(Runnable r) {
        try {
            r.run();
            return false;
        } catch (AssertionError e) {
            return true;
        }
    }

    /** A generated case, printed in full on failure. */
    record Case(String specJson, ExperimentSpec spec, List<VariantAggregates> data, List<SegmentAggregates> segments) {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("spec: ").append(specJson).append("\ndata:");
            data.forEach(a -> s.append("\n  ").append(a));
            segments.forEach(g -> s.append("\nsegment ").append(g.dimension()).append('=').append(g.value())
                    .append(": ").append(g.variants()));
            return s.toString();
        }
    }

    /**
     * Units that share all their values: {@code n} units each with total {@code y} (the numerator's for a ratio),
     * covariate {@code x} and ratio denominator {@code d}.
     */
    record Group(long n, BigDecimal y, BigDecimal x, BigDecimal d) {
    }

    /** One variant's units as groups per metric (each metric's groups count all the arm's units). */
    record Arm(String variant, long units, Map<String, List<Group>> groups, Map<String, Boolean> covariates,
               Map<String, QuantileSketch> valueSketches) {
    }

    private static final class Generator {
        private final Random rng;

        Generator(Random rng) {
            this.rng = rng;
        }

        Case generate() {
            String json = specJson();
            ExperimentSpec spec = Fixtures.spec(json);
            List<Arm> arms = new ArrayList<>();
            for (Variant v : spec.variants()) {
                arms.add(arm(spec, v));
            }
            List<VariantAggregates> data = new ArrayList<>();
            for (Arm a : arms) {
                if (a.units > 0 || rng.nextInt(3) > 0) {
                    data.add(aggregates(spec, a));
                } // else: the variant is absent from the data
            }
            List<SegmentAggregates> segments = new ArrayList<>();
            if (rng.nextInt(4) == 0) {
                List<VariantAggregates> first = new ArrayList<>();
                List<VariantAggregates> second = new ArrayList<>();
                for (Arm a : arms) {
                    long k = a.units == 0 ? 0 : rng.nextInt(4) == 0 ? a.units : (long) (rng.nextDouble() * (a.units + 1));
                    Arm[] split = split(a, Math.min(k, a.units));
                    first.add(aggregates(spec, split[0]));
                    second.add(aggregates(spec, split[1]));
                }
                segments.add(new SegmentAggregates("country", "de", first));
                segments.add(new SegmentAggregates("country", "(none)", second));
            }
            return new Case(json, spec, data, segments);
        }

        private String specJson() {
            int variants = 2 + rng.nextInt(4);
            int[] parts = new int[variants];
            int total = 0;
            for (int i = 0; i < variants; i++) {
                parts[i] = rng.nextInt(5) == 0 ? 0 : 1 + rng.nextInt(rng.nextBoolean() ? 3 : 100);
                total += parts[i];
            }
            if (total == 0) {
                parts[0] = 1;
                total = 1;
            }
            StringBuilder s = new StringBuilder("{'key': 'fuzz', 'variants': [");
            for (int i = 0; i < variants; i++) {
                s.append(i == 0 ? "" : ", ").append("{'key': 'v").append(i).append("', 'weight': ")
                        .append((double) parts[i] / total).append('}');
            }
            s.append("], 'control': 'v").append(rng.nextInt(3) == 0 ? rng.nextInt(variants) : 0).append("'");
            int metrics = 1 + rng.nextInt(6);
            int primary = rng.nextInt(metrics + 1); // == metrics: none
            s.append(", 'metrics': [");
            for (int m = 0; m < metrics; m++) {
                String type = pick("conversion", "conversion", "mean", "mean", "ratio", "quantile");
                if (m == primary && type.equals("quantile")) {
                    type = "mean";
                }
                s.append(m == 0 ? "" : ", ").append("{'key': 'm").append(m).append("', 'type': '").append(type).append("'");
                if (rng.nextBoolean()) {
                    s.append(", 'direction': '").append(pick("increase", "decrease")).append("'");
                }
                String role = m == primary ? "primary" : type.equals("quantile") ? "secondary" : pick("secondary", "guardrail");
                if (!role.equals("secondary") || rng.nextBoolean()) {
                    s.append(", 'role': '").append(role).append("'");
                }
                if (!type.equals("quantile") && rng.nextInt(3) > 0) {
                    double mde = switch (rng.nextInt(5)) {
                        case 0 -> 10.0;
                        case 1 -> 1e-9;
                        case 2 -> Math.nextUp(0.0);
                        default -> 0.001 + rng.nextDouble();
                    };
                    s.append(", 'minimumDetectableEffect': ").append(mde);
                }
                if (type.equals("ratio")) {
                    s.append(", 'numerator': 'm").append(m).append("-num', 'denominator': 'm").append(m).append("-den'");
                }
                if (type.equals("mean") && rng.nextInt(3) == 0) {
                    s.append(rng.nextBoolean()
                            ? ", 'cap': {'value': " + pick("0.000001", "1", "50", "1000.5", "1000000000") + "}"
                            : ", 'cap': {'percentile': " + pick("0.5", "0.99", "0.000001", "0.999999", "0.9") + "}");
                }
                s.append('}');
            }
            double confidence = switch (rng.nextInt(8)) {
                case 0 -> 0.5000001;
                case 1 -> Math.nextDown(1.0);
                case 2 -> Math.nextUp(0.5);
                case 3 -> 0.9999999;
                case 4 -> 0.95;
                default -> 0.5 + 0.5 * rng.nextDouble();
            };
            if (!(confidence > 0.5 && confidence < 1)) {
                confidence = 0.9;
            }
            s.append("], 'confidenceLevel': ").append(confidence)
                    .append(", 'multipleTesting': '").append(pick("holm", "benjamini_hochberg")).append("'")
                    .append(", 'minimumSampleSize': ").append(pick("1", "100", "1000000000"))
                    .append(", 'expectedUnitsPerVariant': ").append(pick("10", "2500", "1000000000", "" + (10 + rng.nextInt(100000))))
                    .append('}');
            return s.toString();
        }

        private String pick(String... options) {
            return options[rng.nextInt(options.length)];
        }

        private long units() {
            return switch (rng.nextInt(10)) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> 2;
                case 3 -> 3 + rng.nextInt(20);
                case 4 -> 1_000_000_000L;
                case 5 -> 1_000_000_000L + rng.nextInt(100_000);
                case 6 -> 20 + rng.nextInt(100_000);
                default -> 100 + rng.nextInt(5_000);
            };
        }

        private Arm arm(ExperimentSpec spec, Variant v) {
            long units = units();
            Map<String, List<Group>> groups = new LinkedHashMap<>();
            Map<String, Boolean> covariates = new HashMap<>();
            Map<String, QuantileSketch> sketches = new HashMap<>();
            for (Metric m : spec.metrics()) {
                groups.put(m.key(), switch (m.type()) {
                    case CONVERSION -> conversionGroups(units);
                    case MEAN, QUANTILE -> meanGroups(units);
                    case RATIO -> ratioGroups(units);
                });
                covariates.put(m.key(), m.type() != MetricType.RATIO && rng.nextInt(3) == 0);
                if (m.type() == MetricType.QUANTILE && rng.nextInt(5) > 0) {
                    sketches.put(m.key(), valueSketch());
                }
            }
            return new Arm(v.key(), units, groups, covariates, sketches);
        }

        /** {@code units} split into {@code k} random counts (some 0). */
        private long[] split(long units, int k) {
            long[] counts = new long[k];
            long left = units;
            for (int i = 0; i < k - 1; i++) {
                counts[i] = rng.nextInt(4) == 0 ? 0 : rng.nextInt(3) == 0 ? Math.min(1, left) : (long) (rng.nextDouble() * (left + 1));
                counts[i] = Math.min(counts[i], left);
                left -= counts[i];
            }
            counts[k - 1] = left;
            return counts;
        }

        private BigDecimal value(boolean negativeAllowed) {
            BigDecimal v = switch (rng.nextInt(8)) {
                case 0 -> BigDecimal.ZERO;
                case 1 -> new BigDecimal("0.000001");
                case 2 -> new BigDecimal("1000000000");
                case 3 -> BigDecimal.ONE;
                case 4 -> BigDecimal.valueOf(rng.nextInt(10));
                default -> BigDecimal.valueOf(rng.nextDouble() * Math.pow(10, rng.nextInt(10))).setScale(6, RoundingMode.HALF_EVEN);
            };
            return negativeAllowed && rng.nextInt(3) == 0 ? v.negate() : v;
        }

        /** A covariate for a group with total y: none, a constant, random, or a linear function of y. */
        private BigDecimal covariate(BigDecimal y, int mode, BigDecimal constant) {
            return switch (mode) {
                case 0 -> BigDecimal.ZERO;
                case 1 -> constant;
                case 2 -> y.multiply(constant).add(BigDecimal.ONE).setScale(6, RoundingMode.HALF_EVEN);
                default -> value(true);
            };
        }

        private List<Group> withCovariates(List<Group> groups) {
            int mode = rng.nextInt(4);
            BigDecimal constant = value(true);
            return groups.stream().map(g -> new Group(g.n, g.y, covariate(g.y, mode, constant), g.d)).toList();
        }

        private List<Group> conversionGroups(long units) {
            long converted = switch (rng.nextInt(6)) {
                case 0 -> 0;
                case 1 -> units;
                case 2 -> Math.min(1, units);
                case 3 -> Math.max(0, units - 1);
                default -> (long) (rng.nextDouble() * rng.nextDouble() * (units + 1));
            };
            converted = Math.min(converted, units);
            List<Group> groups = new ArrayList<>();
            long[] convertedParts = split(converted, 1 + rng.nextInt(3));
            for (long n : convertedParts) {
                BigDecimal y = rng.nextBoolean() ? BigDecimal.ONE : value(false);
                groups.add(new Group(n, y.signum() == 0 ? BigDecimal.ONE : y, BigDecimal.ZERO, BigDecimal.ZERO));
            }
            groups.add(new Group(units - converted, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO));
            return withCovariates(groups);
        }

        private List<Group> meanGroups(long units) {
            List<Group> groups = new ArrayList<>();
            switch (rng.nextInt(6)) {
                case 0 -> groups.add(new Group(units, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO));
                case 1 -> groups.add(new Group(units, value(true), BigDecimal.ZERO, BigDecimal.ZERO));
                case 2 -> { // a tiny spread around a huge mean
                    BigDecimal base = new BigDecimal(pick("1000000", "100000000", "1000000000", "-1000000000", "999999999.999999"));
                    BigDecimal step = new BigDecimal(pick("0.000001", "0.01", "0"));
                    long[] counts = split(units, 1 + rng.nextInt(3));
                    for (int i = 0; i < counts.length; i++) {
                        BigDecimal y = base.signum() > 0 ? base.subtract(step.multiply(BigDecimal.valueOf(i)))
                                : base.add(step.multiply(BigDecimal.valueOf(i)));
                        groups.add(new Group(counts[i], y, BigDecimal.ZERO, BigDecimal.ZERO));
                    }
                }
                case 3 -> { // one unit has a total
                    if (units > 0) {
                        groups.add(new Group(1, value(true), BigDecimal.ZERO, BigDecimal.ZERO));
                    }
                    groups.add(new Group(Math.max(0, units - 1), BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO));
                }
                default -> {
                    long[] counts = split(units, 1 + rng.nextInt(4));
                    boolean negative = rng.nextBoolean();
                    for (long n : counts) {
                        groups.add(new Group(n, value(negative), BigDecimal.ZERO, BigDecimal.ZERO));
                    }
                }
            }
            return withCovariates(groups);
        }

        private List<Group> ratioGroups(long units) {
            List<Group> groups = new ArrayList<>();
            int denominatorMode = rng.nextInt(4); // 0: all 0, 1: constant, else random
            BigDecimal constant = value(false);
            for (Group g : meanGroups(units)) {
                long[] counts = split(g.n, 1 + rng.nextInt(2));
                for (long n : counts) {
                    BigDecimal d = switch (denominatorMode) {
                        case 0 -> BigDecimal.ZERO;
                        case 1 -> constant;
                        default -> value(rng.nextInt(5) == 0);
                    };
                    groups.add(new Group(n, g.y, BigDecimal.ZERO, d));
                }
            }
            return groups;
        }

        private QuantileSketch valueSketch() {
            Map<SketchBin, Long> bins = new HashMap<>();
            int k = rng.nextInt(5);
            for (int i = 0; i < k; i++) {
                bins.merge(SketchBin.of(value(rng.nextBoolean())), rng.nextInt(3) == 0 ? 1L : 1L + rng.nextInt(1_000_000_000), Long::sum);
            }
            return new QuantileSketch(bins);
        }

        /** The arm as two segments: the first {@code k} units of every metric's groups, and the rest. */
        private Arm[] split(Arm a, long k) {
            Map<String, List<Group>> first = new LinkedHashMap<>();
            Map<String, List<Group>> second = new LinkedHashMap<>();
            a.groups.forEach((metric, groups) -> {
                List<Group> f = new ArrayList<>();
                List<Group> s = new ArrayList<>();
                long left = k;
                for (Group g : groups) {
                    long take = Math.min(left, g.n);
                    left -= take;
                    f.add(new Group(take, g.y, g.x, g.d));
                    s.add(new Group(g.n - take, g.y, g.x, g.d));
                }
                first.put(metric, f);
                second.put(metric, s);
            });
            return new Arm[] {new Arm(a.variant, k, first, a.covariates, Map.of()),
                    new Arm(a.variant, a.units - k, second, a.covariates, Map.of())};
        }

        private VariantAggregates aggregates(ExperimentSpec spec, Arm a) {
            Map<String, MetricAggregate> metrics = new HashMap<>();
            Map<String, CovariateSums> covariates = new HashMap<>();
            Map<String, BigDecimal> products = new HashMap<>();
            Map<String, CappedSums> capped = new HashMap<>();
            Map<String, Map<SketchBin, Long>> totals = new HashMap<>();
            for (Metric m : spec.metrics()) {
                List<Group> groups = a.groups.get(m.key());
                if (m.type() == MetricType.RATIO) {
                    putIfAny(metrics, m.numerator(), sums(groups));
                    putIfAny(metrics, m.denominator(), sums(groups.stream().map(g -> new Group(g.n, g.d, g.x, g.d)).toList()));
                    if (rng.nextInt(20) > 0) {
                        BigDecimal p = BigDecimal.ZERO;
                        for (Group g : groups) {
                            p = p.add(g.y.multiply(g.d).multiply(BigDecimal.valueOf(g.n)));
                        }
                        products.put(m.key(), p);
                    }
                    continue;
                }
                putIfAny(metrics, m.key(), sums(groups));
                if (a.covariates.get(m.key())) {
                    boolean conversion = m.type() == MetricType.CONVERSION;
                    BigDecimal sx = BigDecimal.ZERO;
                    BigDecimal sxx = BigDecimal.ZERO;
                    BigDecimal sxy = BigDecimal.ZERO;
                    for (Group g : groups) {
                        BigDecimal n = BigDecimal.valueOf(g.n);
                        BigDecimal y = conversion ? (g.y.signum() > 0 ? BigDecimal.ONE : BigDecimal.ZERO) : g.y;
                        sx = sx.add(g.x.multiply(n));
                        sxx = sxx.add(g.x.multiply(g.x).multiply(n));
                        sxy = sxy.add(g.x.multiply(y).multiply(n));
                    }
                    covariates.put(m.key(), new CovariateSums(sx, sxx, sxy));
                }
                if (m.capValue() != null) {
                    BigDecimal cap = m.capValue();
                    List<Group> limited = groups.stream().map(g -> new Group(g.n, g.y.min(cap), g.x, g.d)).toList();
                    long over = groups.stream().filter(g -> g.y.compareTo(cap) > 0).mapToLong(Group::n).sum();
                    MetricAggregate s = sums(limited);
                    if (s.positiveUnits() > 0 || s.sum().signum() != 0 || s.sumSquares().signum() != 0 || over > 0 || rng.nextBoolean()) {
                        capped.put(m.key(), new CappedSums(s.sum(), s.sumSquares(), over));
                    }
                }
                if (m.capPercentile() != null) {
                    Map<SketchBin, Long> bins = new HashMap<>();
                    for (Group g : groups) {
                        if (g.y.signum() != 0 && g.n > 0) {
                            bins.merge(SketchBin.of(g.y), g.n, Long::sum);
                        }
                    }
                    if (!bins.isEmpty() || rng.nextBoolean()) {
                        totals.put(m.key(), bins);
                    }
                }
            }
            return new VariantAggregates(a.variant, a.units, metrics, covariates, products, capped, a.valueSketches, totals);
        }

        /** A metric's aggregate, left out now and then when no unit has a total (as ingest leaves it out). */
        private void putIfAny(Map<String, MetricAggregate> metrics, String key, MetricAggregate s) {
            boolean none = s.positiveUnits() == 0 && s.sum().signum() == 0 && s.sumSquares().signum() == 0;
            if (!none || rng.nextBoolean()) {
                metrics.put(key, s);
            }
        }

        private static MetricAggregate sums(List<Group> groups) {
            long positive = 0;
            BigDecimal sum = BigDecimal.ZERO;
            BigDecimal squares = BigDecimal.ZERO;
            for (Group g : groups) {
                BigDecimal n = BigDecimal.valueOf(g.n);
                positive += g.y.signum() > 0 ? g.n : 0;
                sum = sum.add(g.y.multiply(n));
                squares = squares.add(g.y.multiply(g.y).multiply(n));
            }
            return new MetricAggregate(positive, sum, squares);
        }
    }
}
