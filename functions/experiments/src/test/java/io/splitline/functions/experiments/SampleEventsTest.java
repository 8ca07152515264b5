package io.splitline.functions.experiments;

import static io.splitline.http.HandlerCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.devkit.SampleEvents;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.experiment.LifecycleAction;
import io.splitline.http.ApiRoutes;
import io.splitline.http.HandlerCalls;
import io.splitline.json.Json;
import io.splitline.store.HistoryEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code events/experiments-*.json} (what {@code sam local invoke ExperimentsFunction -e …} sends)
 * runs through the real handler against DynamoDB Local, after seeding the state the event needs.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class SampleEventsTest {

    static Stream<Path> sampleEvents() {
        return SampleEvents.matching("experiments-.*\\.json").stream();
    }

    static APIGatewayProxyRequestEvent load(Path file) {
        return EventLoader.loadApiGatewayRestEvent(file.toAbsolutePath().toString());
    }

    @Test
    void everyExperimentsRoute_hasASampleEvent() {
        Set<String> routes = ApiRoutes.ALL.stream()
                .filter(r -> r.function() == ApiRoutes.Function.EXPERIMENTS && r.resource().startsWith("/experiments"))
                .map(r -> r.method() + " " + r.resource())
                .collect(Collectors.toSet());

        Set<String> covered = sampleEvents().map(SampleEventsTest::load)
                .map(e -> e.getHttpMethod() + " " + e.getResource())
                .collect(Collectors.toSet());

        assertEquals(routes, covered);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampleEvents")
    void sampleEvent_runsThroughTheHandler(Path file, LocalTables tables) {
        // given: an event exactly as Lambda gets it, and the state it needs
        APIGatewayProxyRequestEvent event = load(file);
        assertEquals(event.getResource(), event.getRequestContext().getResourcePath());
        assertTrue(ApiRoutes.find(event.getHttpMethod(), event.getPath()).isPresent(), "a known route");
        String key = event.getPathParameters() == null ? "checkout-button" : event.getPathParameters().get("key");
        String route = event.getHttpMethod() + " " + event.getResource();
        Expected expected = seed(route, key, tables);

        // when
        HandlerCalls.Answer response = call(Fixtures.handler(tables), event);

        // then
        assertEquals(expected.status(), response.status(), response.body().toString());
        JsonNode body = response.body();
        switch (route) {
            case "GET /experiments" -> {
                assertEquals(1, body.get("experiments").size(), body.toString());
                assertEquals(key, body.get("experiments").get(0).get("key").textValue());
            }
            case "GET /experiments/{key}/history" -> {
                assertEquals(1, body.get("entries").size());
                assertEquals("create", body.get("entries").get(0).get("action").textValue());
            }
            default -> {
                assertEquals(key, body.get("key").textValue());
                assertEquals(expected.statusAfter(), body.get("status").textValue());
                assertEquals(expected.versionAfter(), body.get("version").longValue());
            }
        }
        if (!event.getHttpMethod().equals("GET")) {
            HistoryEntry last = Fixtures.service(tables).history(key).get((int) expected.versionAfter() - 1);
            assertEquals(expected.versionAfter(), last.version());
            assertEquals(event.getRequestContext().getIdentity().getUserArn(), last.actor(), "the IAM caller is the actor");
        }
        if (route.equals("PATCH /experiments/{key}")) {
            JsonNode patch = Json.parse(event.getBody());
            patch.fieldNames().forEachRemaining(name -> {
                if (!name.equals("version")) {
                    assertEquals(patch.get(name).asText(), body.get(name).asText(), name);
                }
            });
        }
    }

    record Expected(int status, String statusAfter, long versionAfter) {
    }

    /** Puts the experiment in the state the route needs; returns what the answer must say. */
    private static Expected seed(String route, String key, LocalTables tables) {
        ExperimentService service = Fixtures.service(tables);
        if (route.equals("POST /experiments")) {
            return new Expected(201, "draft", 1);
        }
        service.create(ExperimentJson.parseSpec(Fixtures.example().put("key", key)), "arn:aws:iam::123456789012:user/seed");
        if (route.equals("GET /experiments")) {
            // The sample lists running experiments: have one running and one draft it must leave out.
            service.transition(key, LifecycleAction.START, "seed");
            service.create(ExperimentJson.parseSpec(Fixtures.example().put("key", "another-draft")), "seed");
            return new Expected(200, null, 0);
        }
        if (route.startsWith("POST /experiments/{key}/")) {
            LifecycleAction action = LifecycleAction.fromJson(route.substring(route.lastIndexOf('/') + 1)).orElseThrow();
            ExperimentStatus from = action.from().stream().sorted().findFirst().orElseThrow();
            long version = 1;
            for (LifecycleAction step : pathTo(from)) {
                version = service.transition(key, step, "seed").version();
            }
            return new Expected(200, action.to().json(), version + 1);
        }
        if (route.equals("PATCH /experiments/{key}")) {
            return new Expected(200, "draft", 2);
        }
        return new Expected(200, "draft", 1);
    }

    private static List<LifecycleAction> pathTo(ExperimentStatus status) {
        return switch (status) {
            case DRAFT -> List.of();
            case RUNNING -> List.of(LifecycleAction.START);
            case PAUSED -> List.of(LifecycleAction.START, LifecycleAction.PAUSE);
            case COMPLETED -> List.of(LifecycleAction.START, LifecycleAction.COMPLETE);
            case ARCHIVED -> List.of(LifecycleAction.ARCHIVE);
        };
    }
}
