package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.definitions.DefinitionCache;
import io.splitline.definitions.DefinitionTargets;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.experiment.LifecycleAction;
import io.splitline.json.Json;
import io.splitline.results.ExperimentResults;
import io.splitline.results.ResultsCalculator;
import io.splitline.results.ResultsJson;
import io.splitline.results.ResultsService;
import io.splitline.results.SegmentAggregates;
import io.splitline.stats.MetricAggregate;
import io.splitline.store.DefinitionStore;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Segments end to end on DynamoDB Local: an experiment declaring {@code dimensions: ["country"]} is created and
 * started through {@link ExperimentService}; exposures carrying a country and conversions are folded by the
 * {@link StreamAggregator} with the {@link DefinitionTargets} the functions use; {@link ResultsService} then
 * answers with a {@code segments} drill-down that equals the statistics of the per-segment ground truth, flags a
 * segment's SRM, and leaves the recommendation exactly what it is without segments.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class SegmentResultsEndToEndTest {
    private static final String ADA = "arn:aws:iam::123456789012:user/ada";
    private static final String KEY = "seg-e2e";

    /** One group of units: a country (null: none sent), units per arm, conversion rate per arm. */
    private record Group(String country, int control, int treatment, double controlRate, double treatmentRate) {
    }

    private static final List<Group> GROUPS = List.of(
            new Group("de", 200, 200, 0.10, 0.40),   // a large effect in one segment
            new Group("fr", 150, 50, 0.20, 0.20),    // 150 vs 50 under 50/50: this segment's split is off …
            new Group("us", 50, 150, 0.20, 0.20),    // … and this one's the other way, so the whole is balanced
            new Group(null, 100, 100, 0.15, 0.16));  // exposures without a country

    @Test
    void resultsDrillDownPerSegment_equalTheGroundTruthsStatistics_andNeverMoveTheDecision(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        DefinitionStore store = new DynamoDbDefinitionStore(local.client(), tables.definitions());
        ExperimentService experiments = new ExperimentService(store, IngestGroundTruthTest.CLOCK);
        Random random = new Random(41);
        ObjectNode definition = (ObjectNode) Json.parse("""
                {"key": "seg-e2e", "dimensions": ["country"],
                 "variants": [{"key": "control", "weight": 0.5}, {"key": "treatment", "weight": 0.5}],
                 "metrics": [{"key": "purchase", "type": "conversion", "role": "primary"}]}""");
        ObjectNode overrides = definition.putObject("overrides");
        List<List<IngestEvent>> perUnit = new ArrayList<>();
        Map<String, long[]> truth = new LinkedHashMap<>(); // "value/arm" → units, converters
        int u = 0;
        for (Group g : GROUPS) {
            for (String arm : List.of("control", "treatment")) {
                int n = arm.equals("control") ? g.control() : g.treatment();
                double rate = arm.equals("control") ? g.controlRate() : g.treatmentRate();
                long[] counts = truth.computeIfAbsent((g.country() == null ? "(none)" : g.country()) + "/" + arm, k -> new long[2]);
                for (int i = 0; i < n; i++, u++) {
                    String unit = "unit-" + u;
                    overrides.put(unit, arm);
                    List<IngestEvent> events = new ArrayList<>();
                    perUnit.add(events);
                    events.add(new IngestEvent(0, unit + "-x", KEY, unit, EventType.EXPOSURE, null, BigDecimal.ZERO,
                            SimulatedTraffic.NOW, false, Map.of(), g.country() == null ? Map.of() : Map.of("country", g.country())));
                    counts[0]++;
                    if (random.nextDouble() < rate) {
                        events.add(new IngestEvent(0, unit + "-p", KEY, unit, EventType.METRIC, "purchase", BigDecimal.ONE,
                                SimulatedTraffic.NOW, false, Map.of()));
                        counts[1]++;
                    }
                }
            }
        }
        experiments.create(ExperimentJson.parseSpec(definition), ADA);
        experiments.transition(KEY, LifecycleAction.START, ADA);
        ExperimentSpec spec = ExperimentJson.parseSpec(definition);

        Collections.shuffle(perUnit, random); // groups and arms interleave in the stream
        List<StreamRecord> records = new ArrayList<>();
        BigInteger sequence = StreamAggregatorTest.FIRST_SEQUENCE;
        for (List<IngestEvent> events : perUnit) {
            for (IngestEvent e : events) {
                sequence = sequence.add(BigInteger.TEN);
                records.add(new StreamRecord(sequence, e));
            }
        }
        StreamAggregator aggregator = new StreamAggregator(new DynamoDbStreamFoldStore(local.client(), tables),
                new DefinitionTargets(new DefinitionCache(store, Duration.ofMinutes(1), IngestGroundTruthTest.CLOCK)));
        for (int from = 0; from < records.size(); from += 100) {
            aggregator.apply(StreamAggregatorTest.SHARDS.get(0), records.subList(from, Math.min(records.size(), from + 100)));
        }

        DynamoDbAggregateReader reader = new DynamoDbAggregateReader(local.client(), tables.aggregates());
        ExperimentResults results = new ResultsService(store, reader, IngestGroundTruthTest.CLOCK).results(KEY);

        List<VariantAggregates> whole = List.of(arm(truth, "control", null), arm(truth, "treatment", null));
        List<SegmentAggregates> segments = new ArrayList<>();
        for (String value : List.of("(none)", "de", "fr", "us")) { // the reader's order: dimension, then value
            segments.add(new SegmentAggregates("country", value, List.of(arm(truth, "control", value), arm(truth, "treatment", value))));
        }
        ExperimentResults expected = ResultsCalculator.compute(spec, ExperimentStatus.RUNNING, whole, segments, results.computedAt());
        ExperimentResults withoutSegments = ResultsCalculator.compute(spec, ExperimentStatus.RUNNING, whole, results.computedAt());
        assertEquals(expected.segments(), results.segments(), "each segment's statistics are those of its ground truth");
        assertEquals(withoutSegments.recommendation(), results.recommendation(), "segments never move the decision");
        assertEquals(withoutSegments.comparisons(), results.comparisons());
        assertFalse(results.srm().mismatch(), "the whole experiment's split is fine");

        JsonNode json = ResultsJson.toJson(results).get("segments");
        assertEquals(4, json.size());
        Map<String, JsonNode> byValue = new HashMap<>();
        json.forEach(s -> byValue.put(s.get("value").textValue(), s));
        byValue.values().forEach(s -> {
            assertEquals("country", s.get("dimension").textValue());
            assertTrue(s.get("exploratory").booleanValue());
        });
        assertTrue(byValue.get("fr").get("srm").get("mismatch").booleanValue(), "150 vs 50 is flagged in its segment");
        assertTrue(byValue.get("us").get("srm").get("mismatch").booleanValue());
        assertFalse(byValue.get("de").get("srm").get("mismatch").booleanValue());
        assertEquals(200, byValue.get("de").get("variants").get(1).get("units").longValue());
        JsonNode de = byValue.get("de").get("comparisons").get(0);
        assertTrue(de.get("adjustedPValue").doubleValue() >= de.get("pValue").doubleValue(), "adjusted across the segment family");
        assertNotEquals(de.get("pValue").doubleValue(), de.get("adjustedPValue").doubleValue(), "four segments: Holm moves the smallest p");
    }

    /** A conversion arm's aggregates from the ground truth, over one segment (null: every segment). */
    private static VariantAggregates arm(Map<String, long[]> truth, String arm, String value) {
        long units = 0;
        long converted = 0;
        for (Map.Entry<String, long[]> e : truth.entrySet()) {
            String[] parts = e.getKey().split("/");
            if (parts[1].equals(arm) && (value == null || parts[0].equals(value))) {
                units += e.getValue()[0];
                converted += e.getValue()[1];
            }
        }
        BigDecimal c = BigDecimal.valueOf(converted);
        return new VariantAggregates(arm, units, Map.of("purchase", new MetricAggregate(converted, c, c)));
    }
}
