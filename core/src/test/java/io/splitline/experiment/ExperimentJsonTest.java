package io.splitline.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.error.InvalidFieldException;
import io.splitline.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentJsonTest {
    /** The example definition of docs/api.md, plus a rule using every operator and combinator. */
    static final String FULL = """
            {
              "key": "checkout-button",
              "description": "Green buy button",
              "variants": [
                {"key": "control", "weight": 0.5, "config": {"color": "blue", "size": 1.25, "tags": ["a", 2]}},
                {"key": "green",   "weight": 0.5, "config": {"color": "green"}}
              ],
              "control": "control",
              "coverage": 0.8,
              "targeting": {"all": [
                {"attribute": "country", "op": "in", "values": ["DE", "FR"]},
                {"attribute": "appVersion", "op": "semver_gte", "value": "2.3.0"},
                {"any": [
                  {"attribute": "plan", "op": "eq", "value": "pro"},
                  {"attribute": "plan", "op": "neq", "value": 3},
                  {"attribute": "tier", "op": "not_in", "values": [1, true, "x"]},
                  {"attribute": "age", "op": "gt", "value": 17.5},
                  {"attribute": "age", "op": "gte", "value": 18},
                  {"attribute": "age", "op": "lt", "value": 99},
                  {"attribute": "age", "op": "lte", "value": 100},
                  {"attribute": "os", "op": "semver_gt", "value": "1.0.0-beta.2"},
                  {"attribute": "os", "op": "semver_lt", "value": "v3"},
                  {"attribute": "os", "op": "semver_lte", "value": "3.1"},
                  {"attribute": "email", "op": "regex", "value": "@example\\\\.com$"},
                  {"attribute": "beta", "op": "exists", "value": false},
                  {"not": {"attribute": "banned", "op": "eq", "value": true}}
                ]}
              ]},
              "overrides": {"qa-user-2": "green", "qa-user-1": "control", "qa user 3": "green"},
              "namespace": {"name": "checkout", "start": 0.0, "end": 0.5},
              "metrics": [
                {"key": "purchase", "type": "conversion", "direction": "increase", "role": "primary",
                 "minimumDetectableEffect": 0.05},
                {"key": "revenue", "type": "mean", "direction": "increase", "role": "secondary"},
                {"key": "error", "type": "conversion", "direction": "decrease", "role": "guardrail"}
              ],
              "confidenceLevel": 0.99,
              "minimumSampleSize": 250,
              "multipleTesting": "benjamini_hochberg",
              "expectedUnitsPerVariant": 40000
            }""";

    static final String MINIMAL = """
            {"key": "k1", "variants": [{"key": "va", "weight": 0.25}, {"key": "vb", "weight": 0.75}]}""";

    private static Experiment stored(ExperimentSpec spec, ExperimentStatus status) {
        return new Experiment(spec, status, 7, Instant.parse("2026-11-24T10:00:00Z"),
                Instant.parse("2026-11-24T11:00:00.123Z"), Instant.parse("2026-11-24T10:30:00Z"), null);
    }

    @Test
    void oneCharacterVariantKeys_areKeys_andABadKeyIsExplainedInWords() {
        ExperimentSpec spec = ExperimentJson.parseSpec(Json.parse("""
                {"key": "ab-test", "variants": [{"key": "a", "weight": 0.5}, {"key": "b", "weight": 0.5}]}"""));
        assertEquals(List.of("a", "b"), spec.variants().stream().map(Variant::key).toList());

        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> ExperimentJson.parseSpec(Json.parse("""
                {"key": "ab-test", "variants": [{"key": "A", "weight": 0.5}, {"key": "b", "weight": 0.5}]}""")));
        assertEquals("variants[0].key", e.field());
        assertTrue(e.getMessage().contains("1-64 characters: lower-case letters, digits"), e.getMessage());
    }

    @Test
    void fullDefinition_roundTripsThroughTheStoredForm() {
        Experiment e = stored(ExperimentJson.parseSpec(Json.parse(FULL)), ExperimentStatus.RUNNING);

        Experiment back = ExperimentJson.fromJson(Json.parseTrusted(Json.write(ExperimentJson.toJson(e))));

        assertEquals(e, back);
        assertEquals(ExperimentJson.toJson(e), ExperimentJson.toJson(back));
    }

    @Test
    void everyStatus_andNullTimestamps_roundTrip() {
        ExperimentSpec spec = ExperimentJson.parseSpec(Json.parse(MINIMAL));
        for (ExperimentStatus status : ExperimentStatus.values()) {
            Experiment e = new Experiment(spec, status, 1, Instant.parse("2026-01-01T00:00:00Z"),
                    Instant.parse("2026-01-01T00:00:00Z"), null, null);

            assertEquals(e, ExperimentJson.fromJson(Json.parseTrusted(Json.write(ExperimentJson.toJson(e)))), status.json());
        }
    }

    @Test
    void minimalDefinition_getsTheDocumentedDefaults() {
        ExperimentSpec spec = ExperimentJson.parseSpec(Json.parse(MINIMAL));

        assertEquals("", spec.description());
        assertEquals("va", spec.control(), "control defaults to the first variant");
        assertEquals(1.0, spec.coverage());
        assertNull(spec.targeting());
        assertEquals(Map.of(), spec.overrides());
        assertNull(spec.namespace());
        assertEquals(List.of(), spec.metrics());
        assertEquals(0.95, spec.confidenceLevel());
        assertEquals(100, spec.minimumSampleSize());
        assertEquals(MultipleTestingCorrection.HOLM, spec.multipleTesting());
        assertEquals(2500, spec.expectedUnitsPerVariant());
        assertEquals(14, spec.lookbackDays());
        assertEquals(4, spec.aggregateShards());
        assertNull(spec.variants().get(0).config());
    }

    @Test
    void metricDefaults_areIncreaseAndSecondary() {
        ObjectNode body = (ObjectNode) Json.parse(MINIMAL);
        body.set("metrics", Json.parse("[{\"key\": \"purchase\", \"type\": \"conversion\"}]"));

        Metric metric = ExperimentJson.parseSpec(body).metrics().get(0);

        assertEquals(new Metric("purchase", MetricType.CONVERSION, Direction.INCREASE, MetricRole.SECONDARY, null), metric);
    }

    @Test
    void storedForm_makesDefaultsExplicit_andAddsLifecycleFields() {
        Experiment e = stored(ExperimentJson.parseSpec(Json.parse(MINIMAL)), ExperimentStatus.DRAFT);

        JsonNode json = ExperimentJson.toJson(e);

        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("key", "description", "variants", "control", "coverage", "overrides", "metrics",
                "confidenceLevel", "minimumSampleSize", "multipleTesting", "expectedUnitsPerVariant", "aggregateShards", "status", "version", "createdAt", "updatedAt", "startedAt",
                "completedAt"), names);
        assertEquals("draft", json.get("status").textValue());
        assertEquals(7, json.get("version").longValue());
        assertEquals("2026-11-24T11:00:00.123Z", json.get("updatedAt").textValue());
        assertTrue(json.get("completedAt").isNull());
        assertEquals(1.0, json.get("coverage").doubleValue());
    }

    @Test
    void overrides_keepTheirOrder() {
        ExperimentSpec spec = ExperimentJson.parseSpec(Json.parse(FULL));

        List<String> units = new ArrayList<>();
        ExperimentJson.specToJson(spec).get("overrides").fieldNames().forEachRemaining(units::add);

        assertEquals(List.of("qa-user-2", "qa-user-1", "qa user 3"), units);
    }

    @Test
    void weightsWithinTheTolerance_areAccepted_beyondItRejected() {
        String third = "{\"key\": \"k1\", \"variants\": [{\"key\": \"va\", \"weight\": 0.3333333333333333},"
                + " {\"key\": \"vb\", \"weight\": 0.3333333333333333}, {\"key\": \"vc\", \"weight\": 0.3333333333333333}]}";
        assertEquals(3, ExperimentJson.parseSpec(Json.parse(third)).variants().size());

        String off = "{\"key\": \"k1\", \"variants\": [{\"key\": \"va\", \"weight\": 0.5}, {\"key\": \"vb\", \"weight\": 0.500000001}]}";
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> ExperimentJson.parseSpec(Json.parse(off)));
        assertEquals("variants", e.field());
    }

    @Test
    void multipleTesting_acceptsHolmAndBenjaminiHochberg_andRejectsAnythingElseNamingTheField() {
        ObjectNode body = (ObjectNode) Json.parse(MINIMAL);
        body.put("multipleTesting", "benjamini_hochberg");
        assertEquals(MultipleTestingCorrection.BENJAMINI_HOCHBERG, ExperimentJson.parseSpec(body).multipleTesting());
        body.put("multipleTesting", "holm");
        assertEquals(MultipleTestingCorrection.HOLM, ExperimentJson.parseSpec(body).multipleTesting());

        body.put("multipleTesting", "bonferroni");
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> ExperimentJson.parseSpec(body));
        assertEquals("multipleTesting", e.field());
        assertTrue(e.getMessage().contains("[holm, benjamini_hochberg]"), e.getMessage());
    }

    @Test
    void lookbackDays_isAnIntegerFrom1To90_namingTheFieldOtherwise() {
        ObjectNode body = (ObjectNode) Json.parse(MINIMAL);
        body.put("lookbackDays", 90);
        assertEquals(90, ExperimentJson.parseSpec(body).lookbackDays());
        assertEquals(90, ExperimentJson.specToJson(ExperimentJson.parseSpec(body)).get("lookbackDays").intValue());
        for (double bad : new double[] {0, 1.5, 91}) {
            body.put("lookbackDays", bad);
            InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> ExperimentJson.parseSpec(body));
            assertEquals("lookbackDays", e.field(), "for " + bad);
        }
        body.put("lookbackDays", 91);
        InvalidFieldException tooLong = assertThrows(InvalidFieldException.class, () -> ExperimentJson.parseSpec(body));
        assertTrue(tooLong.getMessage().contains("between 1 and 90"), tooLong.getMessage());
    }

    @Test
    void aggregateShards_is4_8Or16_namingTheFieldOtherwise() {
        ObjectNode body = (ObjectNode) Json.parse(MINIMAL);
        for (int good : new int[] {4, 8, 16}) {
            body.put("aggregateShards", good);
            assertEquals(good, ExperimentJson.parseSpec(body).aggregateShards());
            assertEquals(good, ExperimentJson.specToJson(ExperimentJson.parseSpec(body)).get("aggregateShards").intValue());
        }
        for (long bad : new long[] {0, 1, 2, 3, 5, 32, -4, 4L + (1L << 32)}) {
            body.put("aggregateShards", bad);
            InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> ExperimentJson.parseSpec(body));
            assertEquals("aggregateShards", e.field(), "for " + bad);
            assertTrue(e.getMessage().contains("one of [4, 8, 16]"), e.getMessage());
        }
        body.put("aggregateShards", 4.5);
        assertEquals("aggregateShards", assertThrows(InvalidFieldException.class, () -> ExperimentJson.parseSpec(body)).field());
    }

    @Test
    void expectedUnitsPerVariant_isAnIntegerFrom10To1e9_namingTheFieldOtherwise() {
        ObjectNode body = (ObjectNode) Json.parse(MINIMAL);
        body.put("expectedUnitsPerVariant", 10);
        assertEquals(10, ExperimentJson.parseSpec(body).expectedUnitsPerVariant());
        for (double bad : new double[] {9, 1.5, 1e9 + 1}) {
            body.put("expectedUnitsPerVariant", bad);
            InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> ExperimentJson.parseSpec(body));
            assertEquals("expectedUnitsPerVariant", e.field(), "for " + bad);
        }
    }

    @Test
    void specFields_areExactlyTheFieldsOfTheApiFormInOrder() {
        assertEquals(ExperimentParser.SPEC_FIELDS, java.util.Set.copyOf(SpecDiff.FIELDS));
    }
}
