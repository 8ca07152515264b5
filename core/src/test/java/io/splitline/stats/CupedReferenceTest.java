package io.splitline.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link CupedEstimate} against {@code stats/cuped_reference.py} (output {@code stats/cuped_reference.json}):
 * θ and the effect by numpy's least squares on the per-unit data, the tests by scipy on the per-unit
 * adjusted values. Java sees only the exact per-arm sums; agreement to 1e-9.
 */
class CupedReferenceTest {
    private static final double TOLERANCE = 1e-9;

    @TestFactory
    Stream<DynamicTest> everyCupedCase_agreesWithNumpyOls() throws IOException {
        JsonNode doc;
        try (InputStream in = CupedReferenceTest.class.getResourceAsStream("/stats/cuped_reference.json")) {
            assertNotNull(in, "stats/cuped_reference.json is on the test classpath");
            doc = Json.MAPPER.readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : doc.get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").textValue(), () -> check(c.get("input"), c.get("expected"))));
        }
        assertEquals(7, tests.size());
        return tests.stream();
    }

    private static void check(JsonNode in, JsonNode exp) {
        CupedEstimate cuped = CupedEstimate.of(moments(in.get("control")), moments(in.get("treatment")));
        near(exp, "theta", cuped.theta());
        near(exp, "adjustedControlMean", cuped.adjustedControl().mean());
        near(exp, "adjustedTreatmentMean", cuped.adjustedTreatment().mean());
        near(exp, "olsEffect", cuped.adjustedTreatment().mean() - cuped.adjustedControl().mean());
        near(exp, "adjustedControlVariance", cuped.adjustedControl().variance());
        near(exp, "adjustedTreatmentVariance", cuped.adjustedTreatment().variance());
        near(exp, "varianceReduction", cuped.varianceReduction());
        if (exp.get("theta").doubleValue() == 0) {
            assertEquals(CupedEstimate.NO_COVARIATE_VARIANCE, cuped.note());
        } else {
            assertNull(cuped.note());
        }

        EffectTest absolute = EffectTest.absolute(cuped.adjustedControl(), cuped.adjustedTreatment());
        JsonNode a = exp.get("absolute");
        near(a, "statistic", absolute.statistic());
        near(a, "df", absolute.degreesOfFreedom());
        near(a, "pValue", absolute.pValue());
        near(a, "lower", absolute.interval(0.05).lower());
        near(a, "upper", absolute.interval(0.05).upper());

        EffectTest relative = cuped.test();
        assertEquals(EffectTest.RELATIVE, relative.method(), "the relative test decides when it is defined");
        JsonNode r = exp.get("relative");
        near(r, "estimate", relative.estimate());
        near(r, "statistic", relative.statistic());
        near(r, "df", relative.degreesOfFreedom());
        near(r, "pValue", relative.pValue());
        near(r, "lower", relative.interval(0.05).lower());
        near(r, "upper", relative.interval(0.05).upper());
    }

    private static CovariateMoments moments(JsonNode arm) {
        return new CovariateMoments(arm.get("units").longValue(), new BigDecimal(arm.get("sumY").textValue()),
                new BigDecimal(arm.get("sumYSquares").textValue()), new BigDecimal(arm.get("sumX").textValue()),
                new BigDecimal(arm.get("sumXSquares").textValue()), new BigDecimal(arm.get("sumXY").textValue()));
    }

    private static void near(JsonNode expected, String field, double actual) {
        double e = expected.get(field).doubleValue();
        assertEquals(e, actual, TOLERANCE * Math.max(1, Math.abs(e)), field);
    }
}
