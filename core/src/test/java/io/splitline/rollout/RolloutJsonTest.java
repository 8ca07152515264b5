package io.splitline.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.error.InvalidFieldException;
import io.splitline.experiment.Direction;
import io.splitline.experiment.MetricType;
import io.splitline.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RolloutJsonTest {

    /** The rollout example of docs/rollouts.md, with every kind of check filled in. */
    static final String EXAMPLE = """
            {"key": "new-ranker", "description": "Ranker v2",
             "stages": [{"percent": 5, "bake": "PT30M"}, {"percent": 25, "bake": "PT1H"},
                        {"percent": 50, "bake": "PT1H"}, {"percent": 75, "bake": "PT1H"}, {"percent": 100, "bake": "PT0S"}],
             "health": {
               "metrics": [{"name": "v2-errors", "namespace": "AWS/Lambda", "metricName": "Errors",
                            "dimensions": {"FunctionName": "ranker-v2"}, "statistic": "Sum", "periodSeconds": 60,
                            "comparison": "GreaterThanThreshold", "threshold": 5}],
               "ratios": [{"name": "v2-error-rate",
                           "numerator": {"namespace": "AWS/Lambda", "metricName": "Errors", "dimensions": {"FunctionName": "ranker-v2"}, "statistic": "Sum"},
                           "denominator": {"namespace": "AWS/Lambda", "metricName": "Invocations", "dimensions": {"FunctionName": "ranker-v2"}, "statistic": "Sum"},
                           "periodSeconds": 60, "comparison": "GreaterThanThreshold", "threshold": 0.05}],
               "alarms": ["ranker-v2-5xx"],
               "minimumDataPoints": 1,
               "guardrails": [{"metric": "error", "type": "conversion", "direction": "decrease"},
                              {"metric": "latency-ms", "type": "mean", "direction": "decrease"}],
               "alpha": 0.05,
               "minimumUnitsPerArm": 200}}
            """;

    static ObjectNode example() {
        return (ObjectNode) Json.parse(EXAMPLE);
    }

    static ObjectNode health(ObjectNode body) {
        return (ObjectNode) body.get("health");
    }

    static ObjectNode metric(ObjectNode body) {
        return (ObjectNode) health(body).get("metrics").get(0);
    }

    static ObjectNode ratio(ObjectNode body) {
        return (ObjectNode) health(body).get("ratios").get(0);
    }

    static ObjectNode stage(ObjectNode body, int index) {
        return (ObjectNode) body.get("stages").get(index);
    }

    @Test
    void apiExample_parsesToTheDocumentedValues() {
        RolloutSpec spec = RolloutJson.parseSpec(example());

        assertEquals("new-ranker", spec.key());
        assertEquals("Ranker v2", spec.description());
        assertEquals(List.of(new Stage(5, Duration.ofMinutes(30)), new Stage(25, Duration.ofHours(1)),
                new Stage(50, Duration.ofHours(1)), new Stage(75, Duration.ofHours(1)), new Stage(100, Duration.ZERO)),
                spec.stages());
        MetricQuery errors = new MetricQuery("AWS/Lambda", "Errors", Map.of("FunctionName", "ranker-v2"), new Statistic("Sum"));
        MetricQuery invocations = new MetricQuery("AWS/Lambda", "Invocations", Map.of("FunctionName", "ranker-v2"), new Statistic("Sum"));
        HealthSpec expected = new HealthSpec(
                List.of(new MetricCheck("v2-errors", "AWS/Lambda", "Errors", Map.of("FunctionName", "ranker-v2"),
                        new Statistic("Sum"), 60, Comparison.GREATER_THAN_THRESHOLD, 5)),
                List.of(new RatioCheck("v2-error-rate", errors, invocations, 60, Comparison.GREATER_THAN_THRESHOLD, 0.05)),
                List.of("ranker-v2-5xx"), 1,
                List.of(new Guardrail("error", MetricType.CONVERSION, Direction.DECREASE),
                        new Guardrail("latency-ms", MetricType.MEAN, Direction.DECREASE)),
                0.05, 200);
        assertEquals(expected, spec.health());
        assertTrue(spec.isLastStage(4));
        assertFalse(spec.isLastStage(3));
    }

    @Test
    void minimalDefinition_getsTheDocumentedDefaults() {
        RolloutSpec spec = RolloutJson.parseSpec(Json.parse("""
                {"key": "tiny", "stages": [{"percent": 100, "bake": "PT0S"}],
                 "health": {"metrics": [{"name": "errs", "namespace": "Splitline", "metricName": "Errors",
                                         "statistic": "Sum", "comparison": "GreaterThanThreshold", "threshold": 0}]}}
                """));

        assertEquals("", spec.description());
        HealthSpec health = spec.health();
        assertEquals(60, health.metrics().get(0).periodSeconds());
        assertEquals(Map.of(), health.metrics().get(0).dimensions());
        assertEquals(List.of(), health.ratios());
        assertEquals(List.of(), health.alarms());
        assertEquals(List.of(), health.guardrails());
        assertEquals(1, health.minimumDataPoints());
        assertEquals(0.05, health.alpha());
        assertEquals(200, health.minimumUnitsPerArm());
    }

    @Test
    void withoutHealth_theRolloutHasNoChecksAndDefaultSettings() {
        RolloutSpec spec = RolloutJson.parseSpec(Json.parse("{\"key\": \"timed\", \"stages\": [{\"percent\": 50, \"bake\": \"P1D\"}, {\"percent\": 100, \"bake\": \"PT0S\"}]}"));

        assertEquals(HealthSpec.NONE, spec.health());
        assertFalse(spec.health().hasMetricChecks());
        assertEquals(Duration.ofDays(1), spec.stage(0).bake());
    }

    @Test
    void specToJson_thenParse_givesBackTheSameSpec() {
        RolloutSpec spec = RolloutJson.parseSpec(example());

        ObjectNode written = RolloutJson.specToJson(spec);

        assertEquals(spec, RolloutJson.parseSpec(written));
        assertEquals(written, RolloutJson.specToJson(RolloutJson.parseSpec(written)));
    }

    @Test
    void specToJson_writesDefaultsExplicitlyAndBakesInIsoForm() {
        ObjectNode body = example();
        health(body).remove(List.of("minimumDataPoints", "alpha", "minimumUnitsPerArm"));
        stage(body, 0).put("bake", "P1D");

        ObjectNode written = RolloutJson.specToJson(RolloutJson.parseSpec(body));

        assertEquals("PT24H", written.get("stages").get(0).get("bake").textValue());
        assertEquals(5, written.get("stages").get(0).get("percent").intValue());
        assertEquals(1, written.get("health").get("minimumDataPoints").intValue());
        assertEquals(0.05, written.get("health").get("alpha").doubleValue());
        assertEquals(200, written.get("health").get("minimumUnitsPerArm").intValue());
        assertEquals("ranker-v2", written.get("health").get("metrics").get(0).get("dimensions").get("FunctionName").textValue());
    }

    @Test
    void dimensions_keepTheOrderTheyWereSentIn() {
        ObjectNode body = example();
        ObjectNode dimensions = metric(body).putObject("dimensions");
        dimensions.put("Variant", "treatment").put("Experiment", "new-ranker").put("Alias", "live");

        ObjectNode written = RolloutJson.specToJson(RolloutJson.parseSpec(body));

        assertEquals(List.of("Variant", "Experiment", "Alias"),
                List.copyOf(iterable(written.get("health").get("metrics").get(0).get("dimensions").fieldNames())));
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @ParameterizedTest
    @ValueSource(strings = {"SampleCount", "Average", "Sum", "Minimum", "Maximum", "p0", "p50", "p99", "p99.9",
        "p99.9999999999", "p100", "p100.0"})
    void validStatistic_isAccepted(String statistic) {
        ObjectNode body = example();
        metric(body).put("statistic", statistic);

        assertEquals(statistic, RolloutJson.parseSpec(body).health().metrics().get(0).statistic().name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sum", "P99", "p", "p100.1", "p101", "p007", "p99.", "p99.99999999999", "p-1", "tm99", "IQM", ""})
    void invalidStatistic_isRejectedWithItsPath(String statistic) {
        ObjectNode body = example();
        metric(body).put("statistic", statistic);

        assertInvalid(body, "health.metrics[0].statistic");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 10, 30, 60, 120, 300, 3600, 86400})
    void validPeriod_isAccepted(int period) {
        ObjectNode body = example();
        ratio(body).put("periodSeconds", period);

        assertEquals(period, RolloutJson.parseSpec(body).health().ratios().get(0).periodSeconds());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 2, 15, 59, 61, 90, 86460, -60, -4294967295L})
    void invalidPeriod_isRejectedWithItsPath(long period) {
        ObjectNode body = example();
        ratio(body).put("periodSeconds", period);

        assertInvalid(body, "health.ratios[0].periodSeconds");
    }

    @Test
    void twentyStages_areAcceptedAndTwentyOneAreNot() {
        ObjectNode body = example();
        ArrayNode stages = body.putArray("stages");
        for (int i = 1; i <= 20; i++) {
            stages.addObject().put("percent", i * 5).put("bake", "PT1M");
        }
        assertEquals(20, RolloutJson.parseSpec(body).stages().size());

        ArrayNode tooMany = body.putArray("stages");
        for (int i = 80; i <= 100; i++) {
            tooMany.addObject().put("percent", i).put("bake", "PT1M");
        }
        assertInvalid(body, "stages");
    }

    @Test
    void bakeOfExactlyThirtyDays_isAcceptedAndOneSecondMoreIsNot() {
        ObjectNode body = example();
        stage(body, 0).put("bake", "P30D");
        assertEquals(Duration.ofDays(30), RolloutJson.parseSpec(body).stage(0).bake());

        stage(body, 0).put("bake", "P30DT1S");
        assertInvalid(body, "stages[0].bake");
    }

    @Test
    void alarmNameOf255Characters_isAcceptedAnd256AreNot() {
        ObjectNode body = example();
        ((ArrayNode) health(body).get("alarms")).removeAll().add("a".repeat(255));
        assertEquals(255, RolloutJson.parseSpec(body).health().alarms().get(0).length());

        ((ArrayNode) health(body).get("alarms")).removeAll().add("a".repeat(256));
        assertInvalid(body, "health.alarms[0]");
    }

    @Test
    void thirtyDimensions_areAcceptedAndThirtyOneAreNot() {
        ObjectNode body = example();
        ObjectNode dimensions = metric(body).putObject("dimensions");
        for (int i = 0; i < 30; i++) {
            dimensions.put("D" + i, "v");
        }
        assertEquals(30, RolloutJson.parseSpec(body).health().metrics().get(0).dimensions().size());

        dimensions.put("D30", "v");
        assertInvalid(body, "health.metrics[0].dimensions");
    }

    @Test
    void alphaOfExactlyHalf_isAccepted() {
        ObjectNode body = example();
        health(body).put("alpha", 0.5);

        assertEquals(0.5, RolloutJson.parseSpec(body).health().alpha());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDefinitions")
    void invalidDefinition_isRejectedWithTheFieldPath(String scenario, Consumer<ObjectNode> change, String field) {
        ObjectNode body = example();
        change.accept(body);

        assertInvalid(body, field);
    }

    static Stream<Arguments> invalidDefinitions() {
        return Stream.of(
                invalid("unknown top-level field", b -> b.put("percent", 5), "percent"),
                invalid("missing key", b -> b.remove("key"), "key"),
                invalid("key with upper case", b -> b.put("key", "NewRanker"), "key"),
                invalid("description too long", b -> b.put("description", "x".repeat(1025)), "description"),
                invalid("missing stages", b -> b.remove("stages"), "stages"),
                invalid("no stages", b -> b.putArray("stages"), "stages"),
                invalid("stages not an array", b -> b.put("stages", "5,100"), "stages"),
                invalid("stage not an object", b -> ((ArrayNode) b.get("stages")).set(1, Json.parse("25")), "stages[1]"),
                invalid("unknown stage field", b -> stage(b, 1).put("weight", 1), "stages[1].weight"),
                invalid("percent missing", b -> stage(b, 1).remove("percent"), "stages[1].percent"),
                invalid("fractional percent", b -> stage(b, 1).put("percent", 25.5), "stages[1].percent"),
                invalid("percent as text", b -> stage(b, 1).put("percent", "25"), "stages[1].percent"),
                invalid("percent 0", b -> stage(b, 0).put("percent", 0), "stages[0].percent"),
                invalid("percent above 100", b -> stage(b, 4).put("percent", 101), "stages[4].percent"),
                invalid("percent repeated", b -> stage(b, 2).put("percent", 25), "stages[2].percent"),
                invalid("percent decreasing", b -> stage(b, 2).put("percent", 20), "stages[2].percent"),
                invalid("last stage below 100", b -> ((ArrayNode) b.get("stages")).remove(4), "stages[3].percent"),
                invalid("bake missing", b -> stage(b, 0).remove("bake"), "stages[0].bake"),
                invalid("bake not ISO-8601", b -> stage(b, 0).put("bake", "30m"), "stages[0].bake"),
                invalid("bake in weeks", b -> stage(b, 0).put("bake", "P1W"), "stages[0].bake"),
                invalid("bake negative", b -> stage(b, 0).put("bake", "-PT1M"), "stages[0].bake"),
                invalid("bake as number", b -> stage(b, 0).put("bake", 1800), "stages[0].bake"),
                invalid("health not an object", b -> b.put("health", "ok"), "health"),
                invalid("unknown health field", b -> health(b).put("threshold", 1), "health.threshold"),
                invalid("metrics not an array", b -> health(b).put("metrics", "x"), "health.metrics"),
                invalid("metric check name missing", b -> metric(b).remove("name"), "health.metrics[0].name"),
                invalid("metric check name not a key", b -> metric(b).put("name", "V2 errors"), "health.metrics[0].name"),
                invalid("unknown metric field", b -> metric(b).put("unit", "Count"), "health.metrics[0].unit"),
                invalid("namespace missing", b -> metric(b).remove("namespace"), "health.metrics[0].namespace"),
                invalid("namespace blank", b -> metric(b).put("namespace", " "), "health.metrics[0].namespace"),
                invalid("namespace starting with a colon", b -> metric(b).put("namespace", ":x"), "health.metrics[0].namespace"),
                invalid("namespace too long", b -> metric(b).put("namespace", "n".repeat(256)), "health.metrics[0].namespace"),
                invalid("metric name missing", b -> metric(b).remove("metricName"), "health.metrics[0].metricName"),
                invalid("dimensions not an object", b -> metric(b).put("dimensions", "FunctionName=x"), "health.metrics[0].dimensions"),
                invalid("dimension value not a string", b -> ((ObjectNode) metric(b).get("dimensions")).put("FunctionName", 3), "health.metrics[0].dimensions.FunctionName"),
                invalid("dimension value empty", b -> ((ObjectNode) metric(b).get("dimensions")).put("FunctionName", ""), "health.metrics[0].dimensions.FunctionName"),
                invalid("dimension value too long", b -> ((ObjectNode) metric(b).get("dimensions")).put("FunctionName", "v".repeat(1025)), "health.metrics[0].dimensions.FunctionName"),
                invalid("dimension name too long", b -> ((ObjectNode) metric(b).get("dimensions")).put("d".repeat(256), "v"), "health.metrics[0].dimensions." + "d".repeat(256)),
                invalid("statistic missing", b -> metric(b).remove("statistic"), "health.metrics[0].statistic"),
                invalid("comparison missing", b -> metric(b).remove("comparison"), "health.metrics[0].comparison"),
                invalid("comparison unknown", b -> metric(b).put("comparison", "GreaterThanUpperThreshold"), "health.metrics[0].comparison"),
                invalid("comparison lower case", b -> metric(b).put("comparison", "greaterthanthreshold"), "health.metrics[0].comparison"),
                invalid("threshold missing", b -> metric(b).remove("threshold"), "health.metrics[0].threshold"),
                invalid("threshold as text", b -> metric(b).put("threshold", "5"), "health.metrics[0].threshold"),
                invalid("period fractional", b -> metric(b).put("periodSeconds", 60.5), "health.metrics[0].periodSeconds"),
                invalid("ratio numerator missing", b -> ratio(b).remove("numerator"), "health.ratios[0].numerator"),
                invalid("ratio denominator statistic invalid", b -> ((ObjectNode) ratio(b).get("denominator")).put("statistic", "Count"), "health.ratios[0].denominator.statistic"),
                invalid("ratio operand with a period", b -> ((ObjectNode) ratio(b).get("numerator")).put("periodSeconds", 60), "health.ratios[0].numerator.periodSeconds"),
                invalid("ratio named like a metric check", b -> ratio(b).put("name", "v2-errors"), "health.ratios[0].name"),
                invalid("two metric checks with one name", b -> ((ArrayNode) health(b).get("metrics")).add(metric(b).deepCopy()), "health.metrics[1].name"),
                invalid("alarms not an array", b -> health(b).put("alarms", "ranker-v2-5xx"), "health.alarms"),
                invalid("alarm name not a string", b -> ((ArrayNode) health(b).get("alarms")).add(7), "health.alarms[1]"),
                invalid("alarm name empty", b -> ((ArrayNode) health(b).get("alarms")).add(""), "health.alarms[1]"),
                invalid("alarm name repeated", b -> ((ArrayNode) health(b).get("alarms")).add("ranker-v2-5xx"), "health.alarms[1]"),
                invalid("too many alarms", b -> {
                    ArrayNode alarms = (ArrayNode) health(b).get("alarms");
                    for (int i = 0; i < 100; i++) {
                        alarms.add("alarm-" + i);
                    }
                }, "health.alarms"),
                invalid("minimumDataPoints 0", b -> health(b).put("minimumDataPoints", 0), "health.minimumDataPoints"),
                invalid("minimumDataPoints fractional", b -> health(b).put("minimumDataPoints", 1.5), "health.minimumDataPoints"),
                invalid("alpha 0", b -> health(b).put("alpha", 0), "health.alpha"),
                invalid("alpha above one half", b -> health(b).put("alpha", 0.5000001), "health.alpha"),
                invalid("minimumUnitsPerArm 0", b -> health(b).put("minimumUnitsPerArm", 0), "health.minimumUnitsPerArm"),
                invalid("guardrail metric not a key", b -> ((ObjectNode) health(b).get("guardrails").get(1)).put("metric", "Latency ms"), "health.guardrails[1].metric"),
                invalid("guardrail metric repeated", b -> ((ObjectNode) health(b).get("guardrails").get(1)).put("metric", "error"), "health.guardrails[1].metric"),
                invalid("guardrail type unknown", b -> ((ObjectNode) health(b).get("guardrails").get(0)).put("type", "ratio"), "health.guardrails[0].type"),
                invalid("guardrail type missing", b -> ((ObjectNode) health(b).get("guardrails").get(0)).remove("type"), "health.guardrails[0].type"),
                invalid("guardrail direction missing", b -> ((ObjectNode) health(b).get("guardrails").get(0)).remove("direction"), "health.guardrails[0].direction"),
                invalid("unknown guardrail field", b -> ((ObjectNode) health(b).get("guardrails").get(0)).put("alpha", 0.1), "health.guardrails[0].alpha"));
    }

    private static Arguments invalid(String scenario, Consumer<ObjectNode> change, String field) {
        return Arguments.of(scenario, change, field);
    }

    private static void assertInvalid(ObjectNode body, String field) {
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> RolloutJson.parseSpec(body));
        assertEquals(field, e.field(), e.getMessage());
    }

    @Test
    void rolloutStatus_usesTheApiNames() {
        assertEquals(List.of("draft", "in_progress", "paused", "completed", "rolled_back", "aborted"),
                Stream.of(RolloutStatus.values()).map(RolloutStatus::json).toList());
        assertEquals(RolloutStatus.ROLLED_BACK, RolloutStatus.fromJson("rolled_back").orElseThrow());
        assertTrue(RolloutStatus.fromJson("running").isEmpty());
        assertEquals(List.of(RolloutStatus.COMPLETED, RolloutStatus.ROLLED_BACK, RolloutStatus.ABORTED),
                Stream.of(RolloutStatus.values()).filter(RolloutStatus::isFinal).toList());
    }
}
