package io.splitline.functions.experiments;

import static io.splitline.http.HandlerCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.devkit.SampleEvents;
import io.splitline.http.ApiRoutes;
import io.splitline.http.HandlerCalls;
import io.splitline.json.Json;
import io.splitline.rollout.RolloutAction;
import io.splitline.rollout.RolloutJson;
import io.splitline.rollout.RolloutService;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code events/rollouts-*.json} (what {@code sam local invoke ExperimentsFunction -e …} sends)
 * runs through the real handler against DynamoDB Local, after seeding the state the event needs.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class RolloutSampleEventsTest {

    static Stream<Path> sampleEvents() {
        return SampleEvents.matching("rollouts-.*\\.json").stream();
    }

    @Test
    void everyRolloutsRoute_hasASampleEvent() {
        Set<String> routes = ApiRoutes.ALL.stream()
                .filter(r -> r.resource().startsWith("/rollouts"))
                .map(r -> r.method() + " " + r.resource())
                .collect(Collectors.toSet());

        Set<String> covered = sampleEvents().map(SampleEventsTest::load)
                .map(e -> e.getHttpMethod() + " " + e.getResource())
                .collect(Collectors.toSet());

        assertEquals(routes, covered);
        assertTrue(ApiRoutes.ALL.stream().filter(r -> r.resource().startsWith("/rollouts"))
                .allMatch(r -> r.function() == ApiRoutes.Function.EXPERIMENTS && r.access() == ApiRoutes.Access.ADMIN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampleEvents")
    void sampleEvent_runsThroughTheHandler(Path file, LocalTables tables) {
        // given an event exactly as Lambda gets it, and the state it needs
        APIGatewayProxyRequestEvent event = SampleEventsTest.load(file);
        assertEquals(event.getResource(), event.getRequestContext().getResourcePath());
        assertTrue(ApiRoutes.find(event.getHttpMethod(), event.getPath()).isPresent(), "a known route");
        String route = event.getHttpMethod() + " " + event.getResource();
        String action = route.startsWith("POST /rollouts/{key}/") ? route.substring(route.lastIndexOf('/') + 1) : null;
        RolloutService service = Fixtures.rollouts(tables);
        if (!route.equals("POST /rollouts")) {
            service.create(RolloutJson.parseSpec(Json.parse(SampleEventsTest.load(Path.of(file.getParent().toString(), "rollouts-create.json")).getBody())),
                    "seed");
            if (!"start".equals(action) && !"abort".equals(action)) {
                service.act("new-ranker", RolloutAction.START, "seed");
            }
            if ("resume".equals(action)) {
                service.act("new-ranker", RolloutAction.PAUSE, "seed");
            }
        }

        // when
        HandlerCalls.Answer response = call(Fixtures.handler(tables), event);

        // then
        JsonNode body = response.body();
        switch (route) {
            case "POST /rollouts" -> {
                assertEquals(201, response.status(), body.toString());
                assertEquals("draft", body.get("status").textValue());
                assertEquals(0, body.get("percent").intValue());
            }
            case "GET /rollouts" -> {
                assertEquals(200, response.status(), body.toString());
                assertEquals(1, body.get("rollouts").size());
                assertEquals("in_progress", body.get("rollouts").get(0).get("status").textValue());
            }
            case "GET /rollouts/{key}/history" -> {
                // the sample asks for the newest entry only: the start, and a token to the create before it
                assertEquals(200, response.status(), body.toString());
                assertEquals(1, body.get("entries").size(), body.toString());
                assertEquals("start", body.get("entries").get(0).get("reason").textValue());
                event.setQueryStringParameters(Map.of("order", "newest", "next", body.get("next").textValue()));
                JsonNode rest = call(Fixtures.handler(tables), event).body();
                assertEquals("create", rest.get("entries").get(0).get("reason").textValue(), rest.toString());
                assertTrue(rest.get("next").isNull(), rest.toString());
            }
            default -> {
                assertEquals(200, response.status(), body.toString());
                assertEquals("new-ranker", body.get("key").textValue());
            }
        }
        if (action != null) {
            JsonNode last = body.get("lastDecision");
            assertEquals("manual", last.get("decision").textValue());
            assertEquals(action, last.get("reason").textValue());
            assertEquals(event.getRequestContext().getIdentity().getUserArn(), last.get("actor").textValue());
            String expected = switch (action) {
                case "start", "resume", "promote" -> "in_progress";
                case "pause" -> "paused";
                default -> "aborted";
            };
            assertEquals(expected, body.get("status").textValue());
        }
    }
}
