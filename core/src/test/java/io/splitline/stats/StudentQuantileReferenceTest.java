package io.splitline.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Distributions#studentQuantile} against quantiles solved with mpmath at 50 digits, started from scipy's
 * {@code t.ppf} ({@code stats/student_quantile_reference.py}, output {@code student_quantile_reference.json}): 828
 * points, degrees of freedom from 1 to 10⁹ (Welch's are fractional), probabilities from 10⁻²⁰ to 1 − 10⁻⁹ and within
 * 10⁻⁸ of the median, each within 10⁻¹² relative.
 */
class StudentQuantileReferenceTest {
    private static final double TOLERANCE = 1e-12;

    @TestFactory
    Stream<DynamicTest> everyQuantile_agreesWithTheExactQuantile() throws IOException {
        JsonNode doc;
        try (InputStream in = StudentQuantileReferenceTest.class.getResourceAsStream("/stats/student_quantile_reference.json")) {
            doc = Json.MAPPER.readTree(in);
        }
        assertEquals(TOLERANCE, doc.get("tolerance").asDouble());
        assertTrue(doc.get("cases").size() > 500, "the grid is there");
        return StreamSupport.stream(doc.get("cases").spliterator(), false).map(c -> {
            double p = c.get("p").asDouble();
            double df = c.get("df").asDouble();
            double expected = c.get("t").asDouble();
            return DynamicTest.dynamicTest("p=" + p + " df=" + df, () -> {
                double actual = Distributions.studentQuantile(p, df);
                assertTrue(Math.abs(actual - expected) <= TOLERANCE * Math.max(1e-300, Math.abs(expected)),
                        String.format(Locale.ROOT, "t(%s, %s): mpmath %.17g, ours %.17g", p, df, expected, actual));
            });
        });
    }

    @Test
    void theMedian_isZero_andOutsideTheDomainIsRefused() {
        assertEquals(0.0, Distributions.studentQuantile(0.5, 7));
        for (double[] bad : new double[][] {{0, 5}, {1, 5}, {0.5, 0}, {0.9, Double.NaN}, {Double.NaN, 5}}) {
            assertThrows(IllegalArgumentException.class, () -> Distributions.studentQuantile(bad[0], bad[1]));
        }
    }
}
