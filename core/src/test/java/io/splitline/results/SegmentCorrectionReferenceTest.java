package io.splitline.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.AggregateReader;
import io.splitline.aggregate.SegmentVariants;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.LifecycleAction;
import io.splitline.ingest.IngestTarget;
import io.splitline.json.Json;
import io.splitline.results.ExperimentResults.Comparison;
import io.splitline.results.ExperimentResults.SegmentResult;
import io.splitline.rollout.MutableClock;
import io.splitline.stats.MetricAggregate;
import io.splitline.store.InMemoryDefinitionStore;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The multiple-testing correction across segments against {@code stats/segment_reference.py} (output
 * {@code stats/segment_reference.json}): numpy/scipy compute every segment comparison's p-value from the per-unit
 * values, Holm and Benjamini–Hochberg over all comparisons of all segments as one family, and each segment's SRM
 * chi-square. Java sees only the per-segment sums, served as stored aggregates through the {@link AggregateReader}
 * port to the real {@link ResultsService} (definition store, {@link StoredSegments}, {@link SegmentResults}); the
 * p-values, adjusted p-values and SRM figures must agree to 1e-12 and every significance call must be equal, for both
 * corrections at two confidence levels. A segment of a dimension the experiment does not declare is served too, and
 * must not enter the family.
 */
class SegmentCorrectionReferenceTest {
    private static final double TOLERANCE = 1e-12;
    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");
    private static final String ACTOR = "arn:aws:iam::123456789012:user/ada";

    @TestFactory
    Stream<DynamicTest> everySegmentComparison_agreesWithScipy() throws IOException {
        JsonNode doc;
        try (InputStream in = SegmentCorrectionReferenceTest.class.getResourceAsStream("/stats/segment_reference.json")) {
            assertNotNull(in, "stats/segment_reference.json is on the test classpath");
            doc = Json.MAPPER.readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : doc.get("cases")) {
            String name = c.get("multipleTesting").textValue() + " at " + c.get("confidenceLevel").doubleValue();
            tests.add(DynamicTest.dynamicTest(name, () -> check(doc, c)));
        }
        assertEquals(4, tests.size());
        return tests.stream();
    }

    private static void check(JsonNode doc, JsonNode c) {
        ObjectNode definition = doc.get("definition").deepCopy();
        definition.put("multipleTesting", c.get("multipleTesting").textValue());
        definition.put("confidenceLevel", c.get("confidenceLevel").doubleValue());
        InMemoryDefinitionStore store = new InMemoryDefinitionStore();
        ExperimentService experiments = new ExperimentService(store, new MutableClock(NOW));
        String key = experiments.create(ExperimentJson.parseSpec(definition), ACTOR).spec().key();
        experiments.transition(key, LifecycleAction.START, ACTOR);

        ExperimentResults results = new ResultsService(store, new StoredSums(doc.get("segments")), new MutableClock(NOW)).results(key);

        List<SegmentResult> segments = results.segments();
        assertEquals(doc.get("segments").size(), segments.size(), "the undeclared dimension's segment is left out");
        Map<String, Comparison> byKey = new HashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            SegmentResult s = segments.get(i);
            JsonNode expected = doc.get("segments").get(i);
            assertEquals(expected.get("dimension").textValue(), s.dimension());
            assertEquals(expected.get("value").textValue(), s.value());
            JsonNode srm = expected.get("srm");
            String where = s.dimension() + "=" + s.value();
            assertEquals(srm.get("statistic").doubleValue(), s.srm().statistic(), TOLERANCE * Math.max(1, srm.get("statistic").doubleValue()), where);
            assertEquals(srm.get("pValue").doubleValue(), s.srm().pValue(), TOLERANCE, where);
            assertEquals(srm.get("df").intValue(), s.srm().degreesOfFreedom(), where);
            assertEquals(srm.get("pValue").doubleValue() < ResultsCalculator.SRM_THRESHOLD, s.srm().mismatch(), where);
            s.comparisons().forEach(comparison -> byKey.put(where + "/" + comparison.variant() + "/" + comparison.metric(), comparison));
        }
        assertEquals(doc.get("familySize").intValue(), byKey.size());
        int significant = 0;
        for (JsonNode e : c.get("comparisons")) {
            String where = e.get("dimension").textValue() + "=" + e.get("value").textValue() + "/" + e.get("variant").textValue()
                    + "/" + e.get("metric").textValue();
            Comparison actual = byKey.get(where);
            assertNotNull(actual, where);
            assertEquals(e.get("pValue").doubleValue(), actual.pValue(), TOLERANCE, where);
            assertEquals(e.get("adjustedPValue").doubleValue(), actual.adjustedPValue(), TOLERANCE, where);
            assertEquals(e.get("significant").booleanValue(), actual.significant(), where);
            if (e.get("defined").booleanValue()) {
                assertNotNull(actual.adjustedCi(), where);
                assertEquals(actual.significant(), !actual.adjustedCi().contains(0), "the interval agrees with the call: " + where);
            } else {
                assertNull(actual.adjustedCi(), where);
            }
            significant += actual.significant() ? 1 : 0;
        }
        assertEquals(c.get("significant").intValue(), significant);
        assertTrue(results.segments().stream().anyMatch(s -> s.srm().mismatch()), "the data has a segment with an SRM");
    }

    /**
     * The segment sums of the reference as the aggregate port returns stored aggregates, plus one segment of a
     * dimension ({@code browser}) the experiment does not declare; the whole experiment is the sum over one
     * dimension's values (every unit has exactly one value per dimension).
     */
    private record StoredSums(JsonNode segments) implements AggregateReader {
        @Override
        public Map<String, VariantAggregates> read(String key, String scope, int shards) {
            Map<String, VariantAggregates> whole = new LinkedHashMap<>();
            for (JsonNode s : segments) {
                if (s.get("dimension").textValue().equals("plan")) {
                    variants(s).forEach((variant, a) -> whole.merge(variant, a, StoredSums::plus));
                }
            }
            return whole;
        }

        @Override
        public List<SegmentVariants> segments(String key, String scope, int shards) {
            assertEquals(IngestTarget.EXPERIMENT_SCOPE, scope);
            List<SegmentVariants> stored = new ArrayList<>();
            for (JsonNode s : segments) {
                stored.add(new SegmentVariants(s.get("dimension").textValue(), s.get("value").textValue(), variants(s)));
            }
            stored.add(1, new SegmentVariants("browser", "firefox", variants(segments.get(0))));
            return stored;
        }

        private static Map<String, VariantAggregates> variants(JsonNode segment) {
            Map<String, VariantAggregates> byVariant = new LinkedHashMap<>();
            for (JsonNode v : segment.get("variants")) {
                Map<String, MetricAggregate> metrics = new LinkedHashMap<>();
                v.get("metrics").properties().forEach(m -> metrics.put(m.getKey(), new MetricAggregate(
                        m.getValue().get("positive").longValue(), new BigDecimal(m.getValue().get("sum").textValue()),
                        new BigDecimal(m.getValue().get("sumSquares").textValue()))));
                byVariant.put(v.get("variant").textValue(), new VariantAggregates(v.get("variant").textValue(), v.get("units").longValue(), metrics));
            }
            return byVariant;
        }

        private static VariantAggregates plus(VariantAggregates a, VariantAggregates b) {
            Map<String, MetricAggregate> metrics = new LinkedHashMap<>(a.metrics());
            b.metrics().forEach((metric, m) -> metrics.merge(metric, m, MetricAggregate::plus));
            return new VariantAggregates(a.variant(), a.units() + b.units(), metrics);
        }
    }
}
