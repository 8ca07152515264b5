package io.splitline.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Ratio metrics ({@link RatioMoments}) against {@code stats/ratio_reference.py} (numpy's covariance of the
 * per-unit values, scipy's t; output {@code stats/ratio_reference.json}) to 1e-9, and the coverage of the
 * delta-method interval in a seeded simulation.
 */
class RatioReferenceTest {
    private static final double TOLERANCE = 1e-9;

    @TestFactory
    Stream<DynamicTest> everyRatioCase_agreesWithNumpy() throws IOException {
        JsonNode doc;
        try (InputStream in = RatioReferenceTest.class.getResourceAsStream("/stats/ratio_reference.json")) {
            assertNotNull(in, "stats/ratio_reference.json is on the test classpath");
            doc = Json.MAPPER.readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : doc.get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").textValue(), () -> check(c.get("input"), c.get("expected"))));
        }
        assertEquals(4, tests.size());
        return tests.stream();
    }

    private static void check(JsonNode in, JsonNode exp) {
        MeanSample c = moments(in.get("control")).sample();
        MeanSample t = moments(in.get("treatment")).sample();
        near(exp, "controlRatio", c.mean());
        near(exp, "treatmentRatio", t.mean());
        near(exp, "controlVarianceOfRatio", c.variance() / c.units());
        near(exp, "treatmentVarianceOfRatio", t.variance() / t.units());
        for (String scale : List.of("absolute", "relative")) {
            EffectTest test = scale.equals("absolute") ? EffectTest.absolute(c, t) : EffectTest.relative(c, t);
            JsonNode e = exp.get(scale);
            near(e, "estimate", test.estimate());
            near(e, "statistic", test.statistic());
            near(e, "df", test.degreesOfFreedom());
            near(e, "pValue", test.pValue());
            near(e, "lower", test.interval(0.05).lower());
            near(e, "upper", test.interval(0.05).upper());
        }
    }

    @Test
    void aZeroDenominator_leavesTheRatioUndefined_andTheCrossProductIsKeptLikeSumSquares() {
        assertNull(new RatioMoments(10, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO).sample());
        // a unit at (a, b) = (2, 3) gets a numerator event of 5, then a denominator event of 1: Σab ends at 7·4
        BigDecimal sum = RatioMoments.crossProductIncrement(BigDecimal.valueOf(2), BigDecimal.valueOf(7),
                BigDecimal.valueOf(3), BigDecimal.valueOf(3));
        sum = sum.add(RatioMoments.crossProductIncrement(BigDecimal.valueOf(7), BigDecimal.valueOf(7),
                BigDecimal.valueOf(3), BigDecimal.valueOf(4)));
        assertEquals(0, BigDecimal.valueOf(7 * 4 - 2 * 3).compareTo(sum));
    }

    @Test
    void deltaMethodInterval_coversTheTrueDifferenceOfRatios() {
        // given 2000 experiments of 300 units per arm: b = 1 + Poisson(2) requests, a ~ Poisson(λ·b) errors,
        // so the true ratio is λ (0.5 in control, 0.6 in treatment)
        Random rng = new Random(99);
        int experiments = 2000;
        int covered = 0;
        for (int e = 0; e < experiments; e++) {
            EffectTest test = EffectTest.absolute(arm(rng, 300, 0.5).sample(), arm(rng, 300, 0.6).sample());
            if (test.interval(0.05).contains(0.1)) {
                covered++;
            }
        }
        // then the 95 % interval covers it in at least 94 % of them
        assertTrue(covered >= 0.94 * experiments, "coverage " + (double) covered / experiments);
    }

    private static RatioMoments arm(Random rng, int n, double lambda) {
        long sa = 0;
        long saa = 0;
        long sb = 0;
        long sbb = 0;
        long sab = 0;
        for (int i = 0; i < n; i++) {
            long b = 1 + poisson(rng, 2);
            long a = poisson(rng, lambda * b);
            sa += a;
            saa += a * a;
            sb += b;
            sbb += b * b;
            sab += a * b;
        }
        return new RatioMoments(n, BigDecimal.valueOf(sa), BigDecimal.valueOf(saa), BigDecimal.valueOf(sb),
                BigDecimal.valueOf(sbb), BigDecimal.valueOf(sab));
    }

    /** Knuth's multiplication method (small means only). */
    private static long poisson(Random rng, double mean) {
        double limit = Math.exp(-mean);
        double product = rng.nextDouble();
        long k = 0;
        while (product > limit) {
            product *= rng.nextDouble();
            k++;
        }
        return k;
    }

    private static RatioMoments moments(JsonNode arm) {
        return new RatioMoments(arm.get("units").longValue(), new BigDecimal(arm.get("sumNumerator").textValue()),
                new BigDecimal(arm.get("sumNumeratorSq").textValue()), new BigDecimal(arm.get("sumDenominator").textValue()),
                new BigDecimal(arm.get("sumDenominatorSq").textValue()), new BigDecimal(arm.get("sumProducts").textValue()));
    }

    private static void near(JsonNode expected, String field, double actual) {
        double e = expected.get(field).doubleValue();
        assertEquals(e, actual, TOLERANCE * Math.max(1, Math.abs(e)), field);
    }
}
