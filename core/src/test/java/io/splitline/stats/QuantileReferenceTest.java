package io.splitline.stats;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quantiles and percentile caps from the sketch against numpy on the same data ({@code stats/quantile_reference.py},
 * output {@code quantile_reference.json}): each q-quantile within the relative accuracy α of numpy's exact
 * {@code quantile(method="lower")}, and equal to the Datadog library's DDSketch fed the raw values; each cap within
 * α of the exact p-quantile of the unit totals, and the capped mean and mean square within the bounds of
 * {@link PercentileCap#RELATIVE_ERROR} of numpy's exact winsorized moments.
 */
class QuantileReferenceTest {
    private static JsonNode doc;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = QuantileReferenceTest.class.getResourceAsStream("/stats/quantile_reference.json")) {
            doc = Json.MAPPER.readTree(in);
        }
        assertEquals(SketchBin.RELATIVE_ACCURACY, doc.get("relativeAccuracy").asDouble());
    }

    @TestFactory
    Stream<DynamicTest> eventQuantiles_areWithinTheRelativeAccuracyOfNumpy_andAgreeWithTheLibrary() {
        return stream(doc.get("eventValues")).map(set -> DynamicTest.dynamicTest(set.get("name").asText(), () -> {
            List<BigDecimal> values = stream(set.get("values")).map(v -> new BigDecimal(v.asText())).toList();
            QuantileSketch sketch = sketch(values);
            DDSketch library = new DDSketch(SketchBin.MAPPING, UnboundedSizeDenseStore::new);
            values.forEach(v -> library.accept(v.doubleValue()));
            set.get("quantiles").fields().forEachRemaining(e -> {
                double q = Double.parseDouble(e.getKey());
                double exact = e.getValue().asDouble();
                double got = sketch.quantile(q);
                assertTrue(Math.abs(got - exact) <= SketchBin.RELATIVE_ACCURACY * Math.abs(exact) * (1 + 1e-12),
                        set.get("name").asText() + " q=" + q + ": sketch " + got + ", numpy " + exact);
                assertEquals(library.getValueAtQuantile(q), got, Math.abs(got) * 1e-12, "the library's DDSketch, q=" + q);
            });
        }));
    }

    @TestFactory
    Stream<DynamicTest> percentileCaps_andCappedMoments_areWithinTheirBoundsOfNumpy() {
        return stream(doc.get("unitTotals")).flatMap(set -> {
            List<BigDecimal> totals = stream(set.get("totals")).map(v -> new BigDecimal(v.asText())).toList();
            // As results read it: the sketch of non-zero totals, plus the units without a bin as zeros.
            QuantileSketch nonZero = sketch(totals.stream().filter(t -> t.signum() != 0).toList());
            QuantileSketch arm = nonZero.withZeros(totals.size() - nonZero.count());
            long positive = totals.stream().filter(t -> t.signum() > 0).count();
            return stream(set.get("caps")).map(c -> DynamicTest.dynamicTest(set.get("name").asText() + " p=" + c.get("percentile"), () -> {
                PercentileCap cap = PercentileCap.of(c.get("percentile").asDouble(), List.of(arm));
                double exactCap = c.get("cap").asDouble();
                assertTrue(Math.abs(cap.value() - exactCap) <= SketchBin.RELATIVE_ACCURACY * Math.abs(exactCap) * (1 + 1e-12),
                        "cap " + cap.value() + ", numpy " + exactCap);
                MetricAggregate capped = cap.capped(arm, positive);
                double n = totals.size();
                double mean = capped.sum().doubleValue() / n;
                double bound = PercentileCap.RELATIVE_ERROR * c.get("meanAbs").asDouble();
                assertTrue(Math.abs(mean - c.get("mean").asDouble()) <= bound + 1e-12,
                        "capped mean " + mean + ", numpy " + c.get("mean") + ", bound " + bound);
                double squares = capped.sumSquares().doubleValue() / n;
                double squareBound = (2 * PercentileCap.RELATIVE_ERROR + PercentileCap.RELATIVE_ERROR * PercentileCap.RELATIVE_ERROR)
                        * c.get("meanSquares").asDouble();
                assertTrue(Math.abs(squares - c.get("meanSquares").asDouble()) <= squareBound + 1e-12,
                        "capped mean square " + squares + ", numpy " + c.get("meanSquares") + ", bound " + squareBound);
            }));
        });
    }

    private static QuantileSketch sketch(List<BigDecimal> values) {
        Map<SketchBin, Long> counts = new HashMap<>();
        values.forEach(v -> counts.merge(SketchBin.of(v), 1L, Long::sum));
        return new QuantileSketch(counts);
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }
}
