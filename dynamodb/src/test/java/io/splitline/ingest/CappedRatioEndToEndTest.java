package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.definitions.DefinitionCache;
import io.splitline.definitions.DefinitionTargets;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.LifecycleAction;
import io.splitline.json.Json;
import io.splitline.results.ResultsJson;
import io.splitline.results.ResultsService;
import io.splitline.store.DefinitionStore;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A capped mean metric and a ratio metric end to end, against numpy/scipy on the same per-unit data
 * ({@code stats/capped_ratio_reference.py}, output {@code capped_ratio_reference.json} beside it): the experiment
 * is created and started through {@link ExperimentService} (each unit forced into its reference arm by an
 * override), each unit's totals are sent as several events — parts of both signs, so totals cross the cap both
 * ways — shuffled, in random batches, a third of them re-sent, through {@link RawEventIngest} and the stream fold
 * with the {@link DefinitionTargets} the functions use, into DynamoDB Local; then {@link ResultsService} reads the
 * aggregates and the response must agree with the reference to 1e-9.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class CappedRatioEndToEndTest {
    private static final double TOLERANCE = 1e-9;
    private static final String ADA = "arn:aws:iam::123456789012:user/ada";

    @TestFactory
    Stream<DynamicTest> resultsFromStoredAggregates_agreeWithNumpy(LocalTables local) throws IOException {
        JsonNode reference;
        try (InputStream in = getClass().getResourceAsStream("/stats/capped_ratio_reference.json")) {
            assertNotNull(in, "stats/capped_ratio_reference.json is on the test classpath");
            reference = Json.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : reference.get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").textValue(), () -> check(local, c)));
        }
        assertEquals(3, tests.size());
        return tests.stream();
    }

    private static void check(LocalTables local, JsonNode c) {
        String key = c.get("name").textValue().replace('_', '-');
        TableNames tables = TableNames.fromLogicalIds(local.names());
        DefinitionStore store = new DynamoDbDefinitionStore(local.client(), tables.definitions());
        ExperimentService experiments = new ExperimentService(store, IngestGroundTruthTest.CLOCK);
        experiments.create(ExperimentJson.parseSpec(spec(key, c)), ADA);
        experiments.transition(key, LifecycleAction.START, ADA);

        Random random = new Random(key.hashCode());
        List<ObjectNode> exposures = new ArrayList<>();
        List<ObjectNode> metrics = new ArrayList<>();
        for (JsonNode u : c.get("units")) {
            String unit = u.get("id").textValue();
            exposures.add(TestEvents.event(unit + "-x", key, unit, "exposure", null, SimulatedTraffic.NOW));
            parts(key, unit, "revenue", new BigDecimal(u.get("revenue").textValue()), random, metrics);
            parts(key, unit, "sessions", BigDecimal.valueOf(u.get("sessions").longValue()), random, metrics);
        }
        List<ObjectNode> sent = new ArrayList<>(metrics);
        sent.addAll(metrics.subList(0, metrics.size() / 3)); // re-sent
        Collections.shuffle(sent, random);
        StreamIngest ingest = new StreamIngest(local,
                new DefinitionTargets(new DefinitionCache(store, Duration.ofMinutes(1), IngestGroundTruthTest.CLOCK)),
                d -> { }, IngestGroundTruthTest.CLOCK);
        int accepted = 0;
        List<ObjectNode> all = new ArrayList<>(exposures);
        all.addAll(sent);
        for (ObjectNode body : SimulatedTraffic.batches(all, 300, random)) {
            IngestResult result = ingest.send(body);
            assertEquals(List.of(), result.rejected());
            accepted += result.accepted();
        }
        ingest.drain();
        assertEquals(exposures.size() + metrics.size(), accepted, "every distinct event counted once");

        JsonNode results = ResultsJson.toJson(new ResultsService(store,
                new DynamoDbAggregateReader(local.client(), tables.aggregates()), IngestGroundTruthTest.CLOCK).results(key));
        JsonNode expected = c.get("expected");
        double cap = c.get("cap").doubleValue();
        for (String arm : List.of("control", "treatment")) {
            JsonNode variant = variant(results, arm).get("metrics");
            JsonNode revenue = variant.get("revenue");
            perVariant(expected.get("revenue").get(arm), revenue, arm + " revenue");
            assertEquals(cap, revenue.get("cap").get("value").doubleValue(), "the cap is shown");
            assertEquals(expected.get("revenue").get(arm).get("cappedUnits").longValue(), revenue.get("cap").get("cappedUnits").longValue(),
                    arm + " capped units");
            perVariant(expected.get("revenuePerSession").get(arm), variant.get("revenue-per-session"), arm + " ratio");
            assertTrue(variant.get("revenue-per-session").get("cap") == null, "no cap on the ratio");
        }
        comparison(expected.get("revenue"), comparison(results, "revenue"), "revenue");
        JsonNode ratio = comparison(results, "revenue-per-session");
        comparison(expected.get("revenuePerSession"), ratio, "ratio");
        assertEquals(List.of(), Json.MAPPER.convertValue(ratio.get("notes"), List.class), "the ratio has its Σab: no note");
    }

    private static JsonNode spec(String key, JsonNode c) {
        ObjectNode spec = (ObjectNode) Json.parse("""
                {"variants": [{"key": "control", "weight": 0.5}, {"key": "treatment", "weight": 0.5}],
                 "metrics": [{"key": "revenue", "type": "mean", "role": "primary"},
                             {"key": "sessions", "type": "mean"},
                             {"key": "revenue-per-session", "type": "ratio", "numerator": "revenue", "denominator": "sessions"}]}""");
        spec.put("key", key);
        ((ObjectNode) spec.get("metrics").get(0)).putObject("cap").put("value", c.get("cap").decimalValue());
        ObjectNode overrides = spec.putObject("overrides");
        c.get("units").forEach(u -> overrides.put(u.get("id").textValue(), u.get("arm").textValue()));
        return spec;
    }

    /**
     * The unit's total as 1–4 events whose values add up to it; with more than one, the first part overshoots
     * by a random amount that a later negative part takes back, so the running total crosses the cap and back.
     */
    private static void parts(String key, String unit, String metric, BigDecimal total, Random random, List<ObjectNode> out) {
        if (total.signum() == 0 && random.nextBoolean()) {
            return; // no event at all: the unit counts as 0
        }
        int n = 1 + random.nextInt(4);
        BigDecimal rest = total;
        for (int i = 0; i < n; i++) {
            BigDecimal value = i == n - 1 ? rest
                    : i == 0 ? BigDecimal.valueOf(random.nextInt(40_000), 2).add(total) : BigDecimal.valueOf(random.nextInt(2_000) - 1_000, 2);
            rest = rest.subtract(value);
            ObjectNode e = TestEvents.event(unit + "-" + metric + "-" + i, key, unit, "metric", metric, SimulatedTraffic.NOW);
            e.put("value", value);
            out.add(e);
        }
    }

    private static JsonNode variant(JsonNode results, String key) {
        for (JsonNode v : results.get("variants")) {
            if (v.get("key").textValue().equals(key)) {
                return v;
            }
        }
        throw new AssertionError("no variant " + key);
    }

    private static JsonNode comparison(JsonNode results, String metric) {
        for (JsonNode comparison : results.get("comparisons")) {
            if (comparison.get("metric").textValue().equals(metric)) {
                return comparison;
            }
        }
        throw new AssertionError("no comparison on " + metric);
    }

    private static void perVariant(JsonNode want, JsonNode got, String where) {
        near(want.get("mean"), got.get("mean"), where + " mean");
        near(want.get("stdDev"), got.get("stdDev"), where + " stdDev");
        near(want.get("ciLower"), got.get("ci").get(0), where + " ci lower");
        near(want.get("ciUpper"), got.get("ci").get(1), where + " ci upper");
    }

    private static void comparison(JsonNode want, JsonNode got, String where) {
        near(want.get("absoluteLift"), got.get("absoluteLift"), where + " absoluteLift");
        near(want.get("absoluteLiftCi").get(0), got.get("absoluteLiftCi").get(0), where + " absoluteLiftCi lower");
        near(want.get("absoluteLiftCi").get(1), got.get("absoluteLiftCi").get(1), where + " absoluteLiftCi upper");
        JsonNode relative = want.get("relative");
        near(relative.get("estimate"), got.get("relativeLift"), where + " relativeLift");
        near(relative.get("lower"), got.get("relativeLiftCi").get(0), where + " relativeLiftCi lower");
        near(relative.get("upper"), got.get("relativeLiftCi").get(1), where + " relativeLiftCi upper");
        assertEquals("relative", got.get("scale").textValue(), where + " decided on the relative lift");
        near(relative.get("pValue"), got.get("pValue"), where + " pValue");
    }

    private static void near(JsonNode want, JsonNode got, String what) {
        assertNotNull(got, what + " is in the response");
        double e = want.doubleValue();
        assertEquals(e, got.doubleValue(), TOLERANCE * Math.max(1, Math.abs(e)), what);
    }
}
