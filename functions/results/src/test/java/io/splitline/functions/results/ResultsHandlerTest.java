package io.splitline.functions.results;

import static io.splitline.http.HandlerCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.devkit.DynamoDbLocal;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.devkit.SampleEvents;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentLimits;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.LifecycleAction;
import io.splitline.http.HandlerCalls;
import io.splitline.ingest.DerivedSums;
import io.splitline.ingest.DynamoDbStreamFoldStore;
import io.splitline.ingest.EventType;
import io.splitline.ingest.IngestEvent;
import io.splitline.ingest.IngestTarget;
import io.splitline.ingest.StreamAggregator;
import io.splitline.ingest.StreamRecord;
import io.splitline.json.Json;
import io.splitline.results.ResultsJson;
import io.splitline.results.ResultsService;
import io.splitline.rollout.MutableClock;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import io.splitline.wiring.Wiring;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

@ExtendWith(DynamoDbLocalExtension.class)
class ResultsHandlerTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);

    static APIGatewayProxyRequestEvent sample() {
        return HandlerCalls.sample("results-get.json");
    }

    @Test
    void sampleEvent_reportsEveryVariant_fromTheStoredAggregates(LocalTables local) {
        TableNames tables = runningCheckout(local);

        JsonNode body = call(new ResultsHandler(Wiring.of(local.client(), tables, CLOCK, d -> { }, Map.of())), sample(), 200);

        assertEquals("checkout-button", body.get("key").asText());
        assertEquals("running", body.get("status").asText());
        assertEquals(20, body.get("variants").get(0).get("units").asInt());
        assertEquals(40, body.get("variants").get(1).get("units").asInt());
        assertTrue(body.get("srm").get("pValue").asDouble() < 0.02, "20 vs 40 on a 50/50 split is a ratio mismatch");
        assertEquals(1, body.get("comparisons").size());
        assertEquals("purchase", body.get("power").get("metric").asText());
        assertTrue(body.get("recommendation").get("reasons").size() > 0);
    }

    @Test
    void unknownExperiment_isNotFound_andABadKeyIsInvalid(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        ResultsHandler handler = new ResultsHandler(Wiring.of(local.client(), tables, CLOCK, d -> { }, Map.of()));

        assertEquals("not_found", call(handler, sample(), 404).get("error").asText());
        APIGatewayProxyRequestEvent bad = sample().withPathParameters(Map.of("key", "Bad Key")).withPath("/experiments/Bad%20Key/results");
        assertEquals("key", call(handler, bad, 400).get("field").asText());
    }

    @Test
    void anExperimentWithDimensions_showsItsSegmentsRollup_andWhenItsAggregatesWereSummed(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        withPlatform(local, tables, CLOCK);
        foldExposures(local, tables, 0, 40, u -> u % 4 == 0 ? "ios" : "web");
        Map<String, Integer> operations = new ConcurrentHashMap<>();
        ExecutionInterceptor countOperations = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                operations.merge(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), 1, Integer::sum);
            }
        };
        ResultsHandler handler = new ResultsHandler(Wiring.of(DynamoDbLocal.client(local.endpoint(), countOperations), tables, CLOCK,
                d -> { }, Map.of("SEGMENT_ROLLUP_SECONDS", "60")));

        JsonNode first = call(handler, sample(), 200); // no roll-up yet: this call sums the segment partitions and stores it
        assertEquals(Map.of("GetItem", 2, "Query", 4 + 4, "PutItem", 1), Map.copyOf(operations),
                "the definition and the missing roll-up, the whole experiment's 4 shards and the segments' 4, the roll-up stored");
        operations.clear();
        JsonNode again = call(handler, sample(), 200); // shows the roll-up it showed, still fresh
        assertEquals(Map.of("GetItem", 1, "Query", 4), Map.copyOf(operations),
                "the definition and the whole experiment's 4 shards: the roll-up this container showed is still fresh,"
                + " so neither it nor a segment partition is read");
        operations.clear();
        ResultsHandler otherContainer = new ResultsHandler(Wiring.of(DynamoDbLocal.client(local.endpoint(), countOperations), tables,
                CLOCK, d -> { }, Map.of("SEGMENT_ROLLUP_SECONDS", "60")));
        assertEquals(first.get("segments"), call(otherContainer, sample(), 200).get("segments"));
        assertEquals(Map.of("GetItem", 2, "Query", 4), Map.copyOf(operations),
                "another container reads the definition and the stored roll-up, fresh: no segment partition read");

        assertEquals(2, first.get("segments").size());
        assertEquals("ios", first.get("segments").get(0).get("value").asText());
        assertEquals(10, first.get("segments").get(0).get("variants").get(0).get("units").asInt());
        assertEquals(CLOCK.instant().toString(), first.get("segmentsComputedAt").asText());
        assertEquals(first, again);
    }

    /**
     * The handler writes the segments' JSON once per roll-up and splices it into each body (SegmentsJson): the body is
     * the one written without it, byte for byte, on the first call, on a repeated one, and after the roll-up changed.
     */
    @Test
    void theSegmentsWrittenOncePerRollup_giveTheBodyWrittenWithoutIt_andANewRollupItsNewSegments(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        MutableClock clock = new MutableClock(CLOCK.instant());
        withPlatform(local, tables, clock);
        foldExposures(local, tables, 0, 40, u -> u % 4 == 0 ? "ios" : "web");
        ResultsHandler handler = new ResultsHandler(Wiring.of(local.client(), tables, clock, d -> { }, Map.of("SEGMENT_ROLLUP_SECONDS", "60")));
        // the same results written from the tree alone, with the segments read live (the roll-up is as fresh as the call)
        ResultsService live = new ResultsService(new DynamoDbDefinitionStore(local.client(), tables.definitions()),
                new DynamoDbAggregateReader(local.client(), tables.aggregates()), clock);

        String first = body(handler);
        assertEquals(Json.write(ResultsJson.toJson(live.results("checkout-button"))), first);
        assertEquals(first, body(handler), "the repeated call, its segments' text reused");

        foldExposures(local, tables, 40, 48, u -> "android");
        clock.advance(Duration.ofSeconds(61)); // the roll-up is over SEGMENT_ROLLUP_SECONDS old: this call sums it anew
        String next = body(handler);

        assertEquals(Json.write(ResultsJson.toJson(live.results("checkout-button"))), next);
        assertEquals(List.of("android", "ios", "web"), values(next), "the new roll-up's segments, not the text kept for the last");
        assertEquals(List.of("ios", "web"), values(first));
        // and the Lambda entry point sends the same body in its proxy response
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(Files.newInputStream(SampleEvents.path("results-get.json")), out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(next, Json.parseTrusted(out.toString(StandardCharsets.UTF_8)).get("body").textValue());
    }

    /** The typed entry point's body as sent, checked against the published contract. */
    private static String body(ResultsHandler handler) {
        APIGatewayProxyResponseEvent response = handler.handleRequest(sample(), null);
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(List.of(), HandlerCalls.CONTRACT.validate(response.getBody(), "#/components/schemas/Results", "results"));
        return response.getBody();
    }

    private static List<String> values(String body) {
        List<String> values = new ArrayList<>();
        Json.parseTrusted(body).get("segments").forEach(s -> values.add(s.get("value").asText()));
        return values;
    }

    /** checkout-button running, with the dimension {@code platform}. */
    private static void withPlatform(LocalTables local, TableNames tables, Clock clock) {
        ExperimentService experiments = new ExperimentService(new DynamoDbDefinitionStore(local.client(), tables.definitions()), clock);
        experiments.create(ExperimentJson.parseSpec(Json.parseTrusted("""
                {"key": "checkout-button", "dimensions": ["platform"],
                 "variants": [{"key": "control", "weight": 0.5}, {"key": "green", "weight": 0.5}],
                 "metrics": [{"key": "purchase", "type": "conversion", "role": "primary", "minimumDetectableEffect": 0.1}]}""")), "test");
        experiments.transition("checkout-button", LifecycleAction.START, "test");
    }

    /** Exposures of units {@code from} until {@code to} folded as from the stream, even units in control, with their platform. */
    private static void foldExposures(LocalTables local, TableNames tables, int from, int to, IntFunction<String> platform) {
        List<StreamRecord> exposures = new ArrayList<>();
        for (int u = from; u < to; u++) {
            exposures.add(new StreamRecord(BigInteger.valueOf(u + 1), new IngestEvent(0, "x" + u, "checkout-button", "u" + u,
                    EventType.EXPOSURE, null, BigDecimal.ZERO, CLOCK.instant(), false, Map.of(), Map.of("platform", platform.apply(u)))));
        }
        IngestTarget placed = new IngestTarget("checkout-button", IngestTarget.EXPERIMENT_SCOPE, true,
                unit -> Optional.of(Integer.parseInt(unit.substring(1)) % 2 == 0 ? "control" : "green"), Set.of(), DerivedSums.NONE,
                Set.of(), Set.of(), List.of("platform"), ExperimentLimits.DEFAULT_AGGREGATE_SHARDS);
        new StreamAggregator(new DynamoDbStreamFoldStore(local.client(), tables), key -> Optional.of(placed))
                .apply("shardId-00000000000000000001-aaaaaaaa", exposures);
    }

    /** checkout-button running, with 20 control and 40 green units exposed. */
    static TableNames runningCheckout(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        ExperimentService experiments = new ExperimentService(new DynamoDbDefinitionStore(local.client(), tables.definitions()), CLOCK);
        experiments.create(ExperimentJson.parseSpec(Json.parseTrusted("""
                {"key": "checkout-button", "variants": [{"key": "control", "weight": 0.5}, {"key": "green", "weight": 0.5}],
                 "metrics": [{"key": "purchase", "type": "conversion", "role": "primary", "minimumDetectableEffect": 0.1}]}""")), "test");
        experiments.transition("checkout-button", LifecycleAction.START, "test");
        // 60 exposures folded as from the events table's stream, 20 units in control (a target that places them so)
        List<StreamRecord> exposures = new ArrayList<>();
        for (int u = 0; u < 60; u++) {
            exposures.add(new StreamRecord(BigInteger.valueOf(u + 1), new IngestEvent(0, "x" + u, "checkout-button", "u" + u,
                    EventType.EXPOSURE, null, BigDecimal.ZERO, CLOCK.instant(), false, Map.of())));
        }
        IngestTarget placed = new IngestTarget("checkout-button", IngestTarget.EXPERIMENT_SCOPE, true,
                unit -> Optional.of(Integer.parseInt(unit.substring(1)) < 20 ? "control" : "green"), Set.of(), DerivedSums.NONE,
                Set.of(), Set.of(), List.of(), ExperimentLimits.DEFAULT_AGGREGATE_SHARDS); // the experiment's shards, as DefinitionTargets
        new StreamAggregator(new DynamoDbStreamFoldStore(local.client(), tables), key -> Optional.of(placed))
                .apply("shardId-00000000000000000001-aaaaaaaa", exposures);
        return tables;
    }
}
