package io.splitline.functions.ingest;

import static io.splitline.http.HandlerCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.assignment.Bucketing;
import io.splitline.devkit.DynamoDbLocal;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.devkit.StoredKeys;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.LifecycleAction;
import io.splitline.http.HandlerCalls;
import io.splitline.definitions.DefinitionCache;
import io.splitline.definitions.DefinitionTargets;
import io.splitline.ingest.DynamoDbStreamDrain;
import io.splitline.ingest.EventTable;
import io.splitline.ingest.IngestTarget;
import io.splitline.json.Json;
import io.splitline.metrics.EmfLogSink;
import io.splitline.metrics.MetricDatum;
import io.splitline.rollout.RolloutAction;
import io.splitline.rollout.RolloutJson;
import io.splitline.rollout.RolloutService;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import io.splitline.wiring.Wiring;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

@ExtendWith(DynamoDbLocalExtension.class)
class IngestHandlerTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T10:01:00Z"), ZoneOffset.UTC);

    static final String CHECKOUT = """
            {"key": "checkout-button",
             "variants": [{"key": "control", "weight": 0.5}, {"key": "green", "weight": 0.5}],
             "metrics": [{"key": "purchase", "type": "conversion", "role": "primary"},
                         {"key": "revenue", "type": "mean"},
                         {"key": "error", "type": "conversion", "direction": "decrease", "role": "guardrail"}]}""";

    final List<MetricDatum> emitted = new ArrayList<>();

    IngestHandler handler(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        ExperimentService experiments = new ExperimentService(new DynamoDbDefinitionStore(local.client(), tables.definitions()), CLOCK);
        experiments.create(ExperimentJson.parseSpec(Json.parseTrusted(CHECKOUT)), "test");
        experiments.transition("checkout-button", LifecycleAction.START, "test");
        return handler(local.client(), tables);
    }

    IngestHandler handler(DynamoDbClient dynamo, TableNames tables) {
        return new IngestHandler(Wiring.of(dynamo, tables, CLOCK, emitted::add, Map.of("EVENT_RETENTION_DAYS", "36500")));
    }

    /** Folds what the handler stored, as the aggregate function does from the stream (guardrails into {@link #emitted}). */
    void drain(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        DynamoDbStreamDrain.of(local.client(), DynamoDbLocal.streamsClient(local.endpoint()), tables,
                new DefinitionTargets(new DefinitionCache(new DynamoDbDefinitionStore(local.client(), tables.definitions()),
                        Duration.ZERO, CLOCK)), emitted::add, CLOCK).drain();
    }

    /** Answers every PutItem after the first {@code passing} ones as DynamoDB answers a throttled write. */
    static final class ThrottledAfter implements ExecutionInterceptor {
        private final int passing;
        private final AtomicInteger puts = new AtomicInteger();

        ThrottledAfter(int passing) {
            this.passing = passing;
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutItemRequest && puts.incrementAndGet() > passing) {
                throw DynamoDbException.builder().message("Rate exceeded (injected)").statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException")
                                .errorMessage("Rate exceeded (injected)").build()).build();
            }
        }
    }

    static APIGatewayProxyRequestEvent sample() {
        return HandlerCalls.sample("ingest-events.json");
    }

    /** A batch with, for each of {@code units} units, its exposure and one metric event. */
    static ObjectNode exposureAndMetricPerUnit(String key, String metric, int units) {
        ObjectNode body = Json.object();
        ArrayNode events = body.putArray("events");
        for (int u = 0; u < units; u++) {
            events.addObject().put("eventId", "x" + u).put("key", key).put("unitId", "u" + u).put("type", "exposure")
                    .put("timestamp", "2026-11-24T10:00:00Z");
            events.addObject().put("eventId", "m" + u).put("key", key).put("unitId", "u" + u).put("metric", metric)
                    .put("timestamp", "2026-11-24T10:00:00Z");
        }
        return body;
    }

    @Test
    void sampleEvent_isAcceptedOnce_andAggregated(LocalTables local) {
        IngestHandler handler = handler(local);

        JsonNode first = call(handler, sample(), 200);
        drain(local);
        JsonNode again = call(handler, sample(), 200);
        drain(local);

        assertEquals(3, first.get("accepted").asInt());
        assertEquals(0, first.get("rejected").size());
        assertEquals(0, again.get("accepted").asInt());
        assertEquals(3, again.get("duplicates").asInt());
        Map<String, VariantAggregates> totals = new DynamoDbAggregateReader(local.client(), local.name("AggregatesTable"))
                .read("checkout-button", IngestTarget.EXPERIMENT_SCOPE);
        VariantAggregates arm = totals.values().iterator().next();
        assertEquals(1, totals.size());
        assertEquals(1, arm.units());
        assertEquals(1, arm.metric("purchase").positiveUnits());
        assertEquals(0, new BigDecimal("42.5").compareTo(arm.metric("revenue").sum()));
    }

    @Test
    void eventsOfAnExperimentStartedRightAfterAWarmCall_areCounted_notRejectedAsNotFound(LocalTables local) {
        IngestHandler handler = handler(local);
        call(handler, sample(), 200); // the cache is filled now, without the new key
        TableNames tables = TableNames.fromLogicalIds(local.names());
        ExperimentService experiments = new ExperimentService(new DynamoDbDefinitionStore(local.client(), tables.definitions()), CLOCK);
        experiments.create(ExperimentJson.parseSpec(Json.parseTrusted(CHECKOUT.replace("checkout-button", "pricing-page"))), "test");
        experiments.transition("pricing-page", LifecycleAction.START, "test");
        ObjectNode body = Json.object();
        ArrayNode events = body.putArray("events");
        events.addObject().put("eventId", "p-1").put("key", "pricing-page").put("unitId", "u1").put("type", "exposure")
                .put("timestamp", "2026-11-24T10:00:00Z");
        events.addObject().put("eventId", "p-2").put("key", "pricing-page").put("unitId", "u1").put("metric", "purchase")
                .put("timestamp", "2026-11-24T10:00:01Z");

        JsonNode result = call(handler, sample().withBody(body.toString()), 200);

        assertEquals(2, result.get("accepted").asInt(), result.toString());
        assertEquals(0, result.get("rejected").size(), result.toString());
    }

    @Test
    void guardrailMetric_isEmittedAsEmbeddedMetricFormat(LocalTables local) {
        IngestHandler handler = handler(local);
        ObjectNode body = Json.object();
        ArrayNode events = body.putArray("events");
        events.addObject().put("eventId", "x").put("key", "checkout-button").put("unitId", "u1").put("type", "exposure")
                .put("timestamp", "2026-11-24T10:00:00Z");
        events.addObject().put("eventId", "e").put("key", "checkout-button").put("unitId", "u1").put("metric", "error")
                .put("timestamp", "2026-11-24T10:00:00Z");

        call(handler, sample().withBody(body.toString()), 200);
        drain(local);

        assertEquals(1, emitted.size());
        ObjectNode emf = EmfLogSink.toEmf(emitted.get(0));
        assertEquals("Splitline", emf.at("/_aws/CloudWatchMetrics/0/Namespace").asText());
        assertEquals("[\"Experiment\",\"Variant\"]", emf.at("/_aws/CloudWatchMetrics/0/Dimensions/0").toString());
        assertEquals("checkout-button", emf.get("Experiment").asText());
        assertEquals(1.0, emf.get("error").asDouble());
    }

    @Test
    void rolloutEvents_countInTheCurrentStage_withTheArmFromTheHash(LocalTables local) {
        IngestHandler handler = handler(local);
        TableNames tables = TableNames.fromLogicalIds(local.names());
        RolloutService rollouts = new RolloutService(new DynamoDbDefinitionStore(local.client(), tables.definitions()), CLOCK);
        rollouts.create(RolloutJson.parseSpec(Json.parseTrusted("""
                {"key": "new-ranker", "stages": [{"percent": 50, "bake": "PT1H"}, {"percent": 100, "bake": "PT0S"}],
                 "health": {"guardrails": [{"metric": "error", "type": "conversion", "direction": "decrease"}]}}""")), "test");
        rollouts.act("new-ranker", RolloutAction.START, "test");
        ObjectNode body = exposureAndMetricPerUnit("new-ranker", "error", 20);

        assertEquals(40, call(handler, sample().withBody(body.toString()), 200).get("accepted").asInt());
        drain(local);

        long treatment = java.util.stream.IntStream.range(0, 20).filter(u -> Bucketing.inRollout("new-ranker", "u" + u, 50)).count();
        Map<String, VariantAggregates> stage0 = new DynamoDbAggregateReader(local.client(), tables.aggregates())
                .read("new-ranker", IngestTarget.stageScope(0));
        assertEquals(treatment, stage0.get("treatment").units());
        assertEquals(treatment, stage0.get("treatment").metric("error").positiveUnits());
        assertEquals(20 - treatment, stage0.get("control").units());
        assertTrue(emitted.stream().allMatch(d -> d.dimensions().get("Experiment").equals("new-ranker")), "guardrail emitted as EMF");
    }

    @Test
    void throttlingThatOutlastsTheRetries_is503WithRetryAfter_andTheResentBatchLosesNothing(LocalTables local) {
        IngestHandler healthy = handler(local);
        TableNames tables = TableNames.fromLogicalIds(local.names());
        IngestHandler throttled = handler(DynamoDbLocal.clientRetryingImmediately(local.endpoint(), new ThrottledAfter(50)), tables);
        APIGatewayProxyRequestEvent request = sample().withBody(exposureAndMetricPerUnit("checkout-button", "purchase", 60).toString());

        APIGatewayProxyResponseEvent busy = throttled.handleRequest(request, null);
        Set<String> recordedBy503 = StoredKeys.withPrefix(local.client(), tables.events(), EventTable.SK, "checkout-button#");
        JsonNode retried = call(healthy, request, 200);
        drain(local);

        assertEquals(503, busy.getStatusCode(), busy.getBody());
        assertEquals("1", busy.getHeaders().get("Retry-After"));
        assertEquals("unavailable", Json.parseTrusted(busy.getBody()).get("error").asText());
        assertEquals(50, recordedBy503.size(), "the first puts went through, the rest were throttled");
        assertEquals(recordedBy503.size(), retried.get("duplicates").asInt(), "what the 503 recorded comes back as duplicates");
        assertEquals(120 - recordedBy503.size(), retried.get("accepted").asInt());
        assertEquals(120, StoredKeys.withPrefix(local.client(), tables.events(), EventTable.SK, "checkout-button#").size());
        Map<String, VariantAggregates> totals = new DynamoDbAggregateReader(local.client(), tables.aggregates())
                .read("checkout-button", IngestTarget.EXPERIMENT_SCOPE);
        assertEquals(60, totals.values().stream().mapToLong(VariantAggregates::units).sum());
        assertEquals(60, totals.values().stream().mapToLong(v -> v.metric("purchase").positiveUnits()).sum());
    }

    @Test
    void oversizeOrMalformedBatches_areRefusedWhole(LocalTables local) {
        IngestHandler handler = handler(local);
        StringBuilder many = new StringBuilder("{\"events\": [");
        for (int i = 0; i < 501; i++) {
            many.append(i == 0 ? "" : ",").append("{\"eventId\": \"e").append(i)
                    .append("\", \"key\": \"checkout-button\", \"unitId\": \"u\", \"metric\": \"purchase\", \"timestamp\": \"2026-11-24T10:00:00Z\"}");
        }
        many.append("]}");

        assertEquals("payload_too_large", call(handler, sample().withBody(many.toString()), 413).get("error").asText());
        assertEquals("payload_too_large", call(handler, sample().withBody("{\"events\": [\"" + "x".repeat(1024 * 1024) + "\"]}"), 413).get("error").asText());
        assertEquals("invalid_request", call(handler, sample().withBody("{\"events\": [}"), 400).get("error").asText());
        assertTrue(local.client().scan(b -> b.tableName(local.name("EventsTable"))).items().isEmpty());
    }
}
