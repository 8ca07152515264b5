package io.splitline.functions.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.AggregateReader;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.LifecycleAction;
import io.splitline.ingest.IngestTarget;
import io.splitline.json.Json;
import io.splitline.metrics.EmfLogSink;
import io.splitline.metrics.MetricDatum;
import io.splitline.results.VariantAggregates;
import io.splitline.assignment.Bucketing;
import io.splitline.rollout.RolloutAction;
import io.splitline.rollout.RolloutJson;
import io.splitline.rollout.RolloutService;
import io.splitline.store.DefinitionStore;
import io.splitline.store.TableNames;
import io.splitline.wiring.Wiring;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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
        ExperimentService experiments = new ExperimentService(new DefinitionStore(local.client(), tables.definitions()), CLOCK);
        experiments.create(ExperimentJson.parseSpec(Json.parseTrusted(CHECKOUT)), "test");
        experiments.transition("checkout-button", LifecycleAction.START, "test");
        return new IngestHandler(Wiring.of(local.client(), tables, CLOCK, emitted::add, Map.of("EVENT_RETENTION_DAYS", "36500")));
    }

    static APIGatewayProxyRequestEvent sample() {
        return EventLoader.loadApiGatewayRestEvent(Path.of(System.getProperty("splitline.repoRoot"), "events", "ingest-events.json").toString());
    }

    static JsonNode call(IngestHandler handler, APIGatewayProxyRequestEvent event, int status) {
        APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);
        assertEquals(status, response.getStatusCode(), response.getBody());
        return Json.parseTrusted(response.getBody());
    }

    @Test
    void sampleEvent_isAcceptedOnce_andAggregated(LocalTables local) {
        IngestHandler handler = handler(local);

        JsonNode first = call(handler, sample(), 200);
        JsonNode again = call(handler, sample(), 200);

        assertEquals(3, first.get("accepted").asInt());
        assertEquals(0, first.get("rejected").size());
        assertEquals(0, again.get("accepted").asInt());
        assertEquals(3, again.get("duplicates").asInt());
        Map<String, VariantAggregates> totals = new AggregateReader(local.client(), local.name("AggregatesTable"))
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
        ExperimentService experiments = new ExperimentService(new DefinitionStore(local.client(), tables.definitions()), CLOCK);
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
        RolloutService rollouts = new RolloutService(new DefinitionStore(local.client(), tables.definitions()), CLOCK);
        rollouts.create(RolloutJson.parseSpec(Json.parseTrusted("""
                {"key": "new-ranker", "stages": [{"percent": 50, "bake": "PT1H"}, {"percent": 100, "bake": "PT0S"}],
                 "health": {"guardrails": [{"metric": "error", "type": "conversion", "direction": "decrease"}]}}""")), "test");
        rollouts.act("new-ranker", RolloutAction.START, "test");
        ObjectNode body = Json.object();
        ArrayNode events = body.putArray("events");
        for (int u = 0; u < 20; u++) {
            events.addObject().put("eventId", "x" + u).put("key", "new-ranker").put("unitId", "u" + u).put("type", "exposure")
                    .put("timestamp", "2026-11-24T10:00:00Z");
            events.addObject().put("eventId", "e" + u).put("key", "new-ranker").put("unitId", "u" + u).put("metric", "error")
                    .put("timestamp", "2026-11-24T10:00:00Z");
        }

        assertEquals(40, call(handler, sample().withBody(body.toString()), 200).get("accepted").asInt());

        long treatment = java.util.stream.IntStream.range(0, 20).filter(u -> Bucketing.inRollout("new-ranker", "u" + u, 50)).count();
        Map<String, VariantAggregates> stage0 = new AggregateReader(local.client(), tables.aggregates())
                .read("new-ranker", IngestTarget.stageScope(0));
        assertEquals(treatment, stage0.get("treatment").units());
        assertEquals(treatment, stage0.get("treatment").metric("error").positiveUnits());
        assertEquals(20 - treatment, stage0.get("control").units());
        assertTrue(emitted.stream().allMatch(d -> d.dimensions().get("Experiment").equals("new-ranker")), "guardrail emitted as EMF");
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
