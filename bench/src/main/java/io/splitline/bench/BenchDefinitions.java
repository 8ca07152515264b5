package io.splitline.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.splitline.experiment.Experiment;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.experiment.LifecycleAction;
import io.splitline.json.Json;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The workload every benchmark shares, built through the real parser so it obeys every definition rule:
 * ten running experiments of the kinds a product runs at once (plain splits, multi-arm, partial coverage,
 * targeting on country / plan / app version, a namespace, QA overrides), the 4-variant × 5-metric
 * experiment whose results are computed, and {@code /assign} request events as API Gateway sends them.
 */
public final class BenchDefinitions {
    /** Attributes of the typical app request: they match most targeting rules below. */
    public static final Map<String, Object> ATTRIBUTES = Map.of(
            "country", "DE", "plan", "pro", "appVersion", "2.4.1", "platform", "ios", "sessions", 12.0);

    /** The ten running experiments that {@code /assign} answers for in the benchmarks. */
    public static final List<String> TEN_EXPERIMENTS = List.of(
            """
            {"key": "checkout-button",
             "variants": [{"key": "control", "weight": 0.5, "config": {"color": "blue"}},
                          {"key": "green", "weight": 0.5, "config": {"color": "green"}}],
             "targeting": {"attribute": "country", "op": "in", "values": ["DE", "FR", "NL", "AT"]},
             "overrides": {"qa-user-1": "green"},
             "metrics": [{"key": "purchase", "type": "conversion", "role": "primary"}]}""",
            """
            {"key": "new-ranker",
             "variants": [{"key": "control", "weight": 0.2}, {"key": "bm25", "weight": 0.3}, {"key": "neural", "weight": 0.5}],
             "coverage": 0.8}""",
            """
            {"key": "pricing-page",
             "variants": [{"key": "control", "weight": 0.5}, {"key": "annual-first", "weight": 0.5}],
             "targeting": {"all": [{"attribute": "plan", "op": "in", "values": ["free", "pro"]},
                                   {"attribute": "appVersion", "op": "semver_gte", "value": "2.3.0"}]},
             "namespace": {"name": "pricing", "start": 0.0, "end": 0.5}}""",
            """
            {"key": "onboarding-v3",
             "variants": [{"key": "control", "weight": 0.34}, {"key": "short", "weight": 0.33}, {"key": "video", "weight": 0.33}]}""",
            """
            {"key": "search-autocomplete",
             "variants": [{"key": "control", "weight": 0.5}, {"key": "fuzzy", "weight": 0.5}],
             "coverage": 0.3,
             "targeting": {"attribute": "platform", "op": "in", "values": ["ios", "android"]}}""",
            """
            {"key": "recommendations-carousel",
             "variants": [{"key": "control", "weight": 0.25}, {"key": "grid", "weight": 0.25},
                          {"key": "list", "weight": 0.25}, {"key": "hero", "weight": 0.25}]}""",
            """
            {"key": "dark-mode-default",
             "variants": [{"key": "control", "weight": 0.9}, {"key": "dark", "weight": 0.1}],
             "targeting": {"any": [{"attribute": "sessions", "op": "gte", "value": 10},
                                   {"attribute": "plan", "op": "eq", "value": "enterprise"}]}}""",
            """
            {"key": "email-digest",
             "variants": [{"key": "control", "weight": 0.5}, {"key": "weekly", "weight": 0.5}],
             "targeting": {"not": {"attribute": "country", "op": "in", "values": ["US", "CA"]}}}""",
            """
            {"key": "cart-reminder",
             "variants": [{"key": "control", "weight": 0.5}, {"key": "push", "weight": 0.5}],
             "namespace": {"name": "pricing", "start": 0.5, "end": 1.0},
             "overrides": {"qa-user-2": "push", "qa-user-3": "control"}}""",
            """
            {"key": "shipping-estimate",
             "variants": [{"key": "control", "weight": 0.5}, {"key": "precise", "weight": 0.5}],
             "coverage": 0.5,
             "targeting": {"attribute": "appVersion", "op": "semver_lt", "value": "3.0.0"}}""");

    /** The experiment whose results are computed: 4 variants × 5 metrics (conversions, means, a guardrail). */
    public static final String FOUR_BY_FIVE = """
            {"key": "checkout-flow",
             "variants": [{"key": "control", "weight": 0.25}, {"key": "one-page", "weight": 0.25},
                          {"key": "express", "weight": 0.25}, {"key": "guest", "weight": 0.25}],
             "metrics": [{"key": "purchase", "type": "conversion", "direction": "increase", "role": "primary",
                          "minimumDetectableEffect": 0.02},
                         {"key": "revenue", "type": "mean", "direction": "increase", "role": "secondary"},
                         {"key": "items", "type": "mean", "direction": "increase", "role": "secondary"},
                         {"key": "add-to-cart", "type": "conversion", "direction": "increase", "role": "secondary"},
                         {"key": "error", "type": "conversion", "direction": "decrease", "role": "guardrail"}],
             "minimumSampleSize": 1000}""";

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    private BenchDefinitions() {
    }

    public static ExperimentSpec spec(String json) {
        return ExperimentJson.parseSpec(Json.parseTrusted(json));
    }

    /** The definition with {@code aggregateShards} set to {@code shards} (the harnesses' optional SHARDS argument). */
    public static String withAggregateShards(String json, int shards) {
        com.fasterxml.jackson.databind.node.ObjectNode definition = (com.fasterxml.jackson.databind.node.ObjectNode) Json.parseTrusted(json);
        definition.put("aggregateShards", shards);
        return Json.write(definition);
    }

    /** A running experiment in memory (for benchmarks that need no table). */
    public static Experiment running(String json) {
        return new Experiment(spec(json), ExperimentStatus.RUNNING, 1, T0, T0, T0, null);
    }

    /** Creates and starts these experiments through the real management service. */
    public static void createRunning(DynamoDbClient dynamo, TableNames tables, Clock clock, List<String> definitions) {
        ExperimentService experiments = new ExperimentService(new DynamoDbDefinitionStore(dynamo, tables.definitions()), clock);
        for (String json : definitions) {
            ExperimentSpec spec = spec(json);
            experiments.create(spec, "bench");
            experiments.transition(spec.key(), LifecycleAction.START, "bench");
        }
    }

    /** The {@code /assign} body for a unit: every running experiment, with the typical attributes. */
    public static String assignBody(String unitId, boolean track) {
        var body = Json.object();
        body.put("unitId", unitId);
        var attributes = body.putObject("attributes");
        attributes.put("country", "DE").put("plan", "pro").put("appVersion", "2.4.1").put("platform", "ios").put("sessions", 12);
        body.put("track", track);
        return Json.write(body);
    }

    /** {@code POST /assign} as API Gateway's REST proxy integration delivers it. */
    public static APIGatewayProxyRequestEvent assignEvent(String body) {
        return new APIGatewayProxyRequestEvent()
                .withResource("/assign")
                .withPath("/assign")
                .withHttpMethod("POST")
                .withHeaders(Map.of("Content-Type", "application/json", "x-api-key", "bench-app-key"))
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext()
                        .withIdentity(new APIGatewayProxyRequestEvent.RequestIdentity().withApiKey("bench-app-key")))
                .withIsBase64Encoded(false)
                .withBody(body);
    }

    /** Distinct unit ids shaped like real ones (opaque, 20-odd characters). */
    public static List<String> unitIds(int count, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add("user-" + Long.toHexString(random.nextLong() >>> 1) + "-" + i);
        }
        return ids;
    }
}
