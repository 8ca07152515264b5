package io.splitline.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.experiment.Direction;
import io.splitline.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every formula against independent values computed with scipy by {@code stats/reference.py} (kept next
 * to its output {@code stats/reference.json}): one dynamic test per case, agreement to 1e-6 (absolute,
 * relative above 1).
 */
class ReferenceValuesTest {
    private static final double TOLERANCE = 1e-6;

    @TestFactory
    Stream<DynamicTest> everyReferenceCase_agreesWithScipyTo1e6() throws IOException {
        JsonNode doc;
        try (InputStream in = ReferenceValuesTest.class.getResourceAsStream("/stats/reference.json")) {
            assertNotNull(in, "stats/reference.json is on the test classpath");
            doc = Json.MAPPER.readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : doc.get("cases")) {
            String kind = c.get("kind").textValue();
            tests.add(DynamicTest.dynamicTest(c.get("name").textValue(),
                    () -> check(kind, c.get("input"), c.get("expected"))));
        }
        assertTrue(tests.size() > 170, "the reference file holds the cases");
        return tests.stream();
    }

    private static void check(String kind, JsonNode in, JsonNode exp) {
        switch (kind) {
            case "wilson" -> {
                Interval ci = ConfidenceIntervals.wilson(proportion(in), in.get("confidence").doubleValue());
                near(exp, "lower", ci.lower());
                near(exp, "upper", ci.upper());
            }
            case "meanCi" -> {
                MeanSample s = mean(in);
                Interval ci = ConfidenceIntervals.mean(s, in.get("confidence").doubleValue());
                near(exp, "mean", s.mean());
                near(exp, "stdDev", s.standardDeviation());
                near(exp, "lower", ci.lower());
                near(exp, "upper", ci.upper());
            }
            case "zTest" -> {
                TestResult t = TwoSampleTests.zTest(proportion(in.get("control")), proportion(in.get("treatment")));
                near(exp, "statistic", t.statistic());
                near(exp, "pValue", t.pValue());
            }
            case "welch" -> {
                MeanSample c = mean(in.get("control"));
                MeanSample t = mean(in.get("treatment"));
                TestResult r = TwoSampleTests.welch(c, t);
                near(exp, "statistic", r.statistic());
                near(exp, "df", r.degreesOfFreedom());
                near(exp, "pValue", r.pValue());
                Lift lift = LiftEstimates.means(c, t, in.get("confidence").doubleValue());
                near(exp, "lower", lift.absoluteCi().lower());
                near(exp, "upper", lift.absoluteCi().upper());
            }
            case "chiSquare" -> {
                List<ProportionSample> arms = new ArrayList<>();
                in.get("arms").forEach(a -> arms.add(proportion(a)));
                TestResult r = ChiSquareTests.independence(arms);
                near(exp, "statistic", r.statistic());
                near(exp, "df", r.degreesOfFreedom());
                near(exp, "pValue", r.pValue());
            }
            case "srm" -> {
                long[] observed = new long[in.get("observed").size()];
                double[] weights = new double[observed.length];
                for (int i = 0; i < observed.length; i++) {
                    observed[i] = in.get("observed").get(i).longValue();
                    weights[i] = in.get("weights").get(i).doubleValue();
                }
                ChiSquareTests.GoodnessOfFit fit = ChiSquareTests.goodnessOfFit(observed, weights);
                near(exp, "statistic", fit.test().statistic());
                near(exp, "df", fit.test().degreesOfFreedom());
                near(exp, "pValue", fit.test().pValue());
                for (int i = 0; i < observed.length; i++) {
                    near(exp.get("expected").get(i).doubleValue(), fit.expected()[i], "expected[" + i + "]");
                }
            }
            case "liftProportion" -> {
                Lift lift = LiftEstimates.proportions(proportion(in.get("control")), proportion(in.get("treatment")),
                        in.get("confidence").doubleValue());
                checkLift(exp, lift);
                near(exp, "absoluteLower", lift.absoluteCi().lower());
                near(exp, "absoluteUpper", lift.absoluteCi().upper());
            }
            case "liftMean" -> checkLift(exp, LiftEstimates.means(mean(in.get("control")), mean(in.get("treatment")),
                    in.get("confidence").doubleValue()));
            case "cohensH" -> near(exp, "value", EffectSizes.cohensH(proportion(in.get("control")),
                    proportion(in.get("treatment"))));
            case "cohensD" -> near(exp, "value", EffectSizes.cohensD(mean(in.get("control")), mean(in.get("treatment"))));
            case "holm", "bh" -> {
                double[] p = doubles(in.get("pValues"));
                double[] adjusted = kind.equals("holm") ? MultipleTesting.holm(p) : MultipleTesting.benjaminiHochberg(p);
                double[] expected = doubles(exp.get("adjusted"));
                for (int i = 0; i < p.length; i++) {
                    near(expected[i], adjusted[i], "adjusted[" + i + "]");
                }
            }
            case "effectTest" -> {
                EffectTest t = EffectTest.decisive(sample(in.get("control")), sample(in.get("treatment")));
                if (exp.has("undefined")) {
                    assertFalse(t.defined(), "undefined");
                    assertEquals(1.0, t.pValue());
                    assertNull(t.interval(in.get("errorRate").doubleValue()));
                    return;
                }
                assertEquals(exp.get("scale").textValue(), t.scale());
                near(exp, "estimate", t.estimate());
                near(exp, "standardError", t.standardError());
                near(exp, "df", t.degreesOfFreedom());
                near(exp, "statistic", t.statistic());
                near(exp, "pValue", t.pValue());
                Interval ci = t.interval(in.get("errorRate").doubleValue());
                near(exp, "lower", ci.lower());
                near(exp, "upper", ci.upper());
            }
            case "sequentialTuning" -> near(exp, "mixingEffectSize", SequentialTest.tunedMixingEffectSize(
                    in.get("alpha").doubleValue(), in.get("expectedUnitsPerArm").doubleValue()));
            case "sequentialCi" -> {
                Interval ci = new SequentialTest(in.get("mixingEffectSize").doubleValue()).twoSidedInterval(
                        sample(in.get("control")), sample(in.get("treatment")), in.get("alpha").doubleValue());
                near(exp, "lower", ci.lower());
                near(exp, "upper", ci.upper());
            }
            case "powerProportion" -> {
                PowerAnalysis.Requirement r = PowerAnalysis.proportions(proportion(in.get("control")),
                        in.get("mde").doubleValue(), direction(in), 1 - in.get("confidence").doubleValue(), 0.8);
                near(exp, "exactUnits", r.exactUnits());
                assertEquals(exp.get("required").longValue(), r.requiredUnitsPerVariant());
            }
            case "powerMean" -> {
                PowerAnalysis.Requirement r = PowerAnalysis.means(mean(in.get("control")), in.get("mde").doubleValue(),
                        1 - in.get("confidence").doubleValue(), 0.8);
                near(exp, "exactUnits", r.exactUnits());
                assertEquals(exp.get("required").longValue(), r.requiredUnitsPerVariant());
            }
            case "bayesBeta" -> {
                BayesianComparison.Result r = BayesianComparison.proportions(proportion(in.get("control")),
                        proportion(in.get("treatment")), direction(in));
                near(exp, "probabilityToBeatControl", r.probabilityToBeatControl());
                near(exp, "expectedLoss", r.expectedLoss());
            }
            case "bayesNormal" -> {
                BayesianComparison.Result r = BayesianComparison.means(mean(in.get("control")),
                        mean(in.get("treatment")), direction(in));
                near(exp, "probabilityToBeatControl", r.probabilityToBeatControl());
                near(exp, "expectedLoss", r.expectedLoss());
            }
            case "sequential" -> near(exp, "pValue", new SequentialTest().twoSided(sample(in.get("control")),
                    sample(in.get("treatment"))).pValue());
            case "guardrail" -> {
                GuardrailTest.Verdict v = new GuardrailTest().evaluate(sample(in.get("control")),
                        sample(in.get("treatment")), direction(in), in.get("alpha").doubleValue());
                near(exp, "statistic", v.statistic());
                near(exp, "pValue", v.pValue());
                assertEquals(exp.get("worse").booleanValue(), v.worse(), "worse");
            }
            default -> throw new AssertionError("unknown reference kind " + kind);
        }
    }

    private static void checkLift(JsonNode exp, Lift lift) {
        near(exp, "absolute", lift.absolute());
        if (exp.has("relative")) {
            near(exp, "relative", lift.relative());
        }
        if (exp.has("relativeLower")) {
            near(exp, "relativeLower", lift.relativeCi().lower());
            near(exp, "relativeUpper", lift.relativeCi().upper());
        }
    }

    private static void near(JsonNode expected, String field, Double actual) {
        assertNotNull(actual, field + " is defined");
        near(expected.get(field).doubleValue(), actual, field);
    }

    private static void near(double expected, double actual, String field) {
        double tolerance = TOLERANCE * Math.max(1.0, Math.abs(expected));
        assertTrue(Math.abs(expected - actual) <= tolerance, String.format(Locale.ROOT,
                "%s: expected %.12g, got %.12g (difference %.3g)", field, expected, actual, Math.abs(expected - actual)));
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).doubleValue();
        }
        return out;
    }

    private static Direction direction(JsonNode in) {
        return Direction.valueOf(in.get("direction").textValue().toUpperCase(Locale.ROOT));
    }

    private static Sample sample(JsonNode in) {
        return in.has("conversions") ? proportion(in) : mean(in);
    }

    private static ProportionSample proportion(JsonNode in) {
        return new ProportionSample(in.get("units").longValue(), in.get("conversions").longValue());
    }

    private static MeanSample mean(JsonNode in) {
        return MeanSample.fromSums(in.get("units").longValue(), new java.math.BigDecimal(in.get("sum").textValue()),
                new java.math.BigDecimal(in.get("sumSquares").textValue()));
    }
}
