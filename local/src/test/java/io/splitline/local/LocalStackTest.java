package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.http.ApiRoutes;
import io.splitline.json.Json;
import io.splitline.json.JsonValues;
import io.splitline.notify.Notification;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives a started local stack through its HTTP API only, as a user with curl would. */
class LocalStackTest {
    static LocalStack stack;
    static ApiClient admin;
    static ApiClient app;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalOptions.parse("--port", "0", "--app-key", "app-key-for-tests", "--admin-key", "admin-key-for-tests"));
        admin = new ApiClient(stack.baseUri(), "admin-key-for-tests");
        app = new ApiClient(stack.baseUri(), "app-key-for-tests");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void health_answersOk() {
        assertEquals("ok", new ApiClient(stack.baseUri(), null).get("/health").expect(200).get("status").asText());
    }

    @Test
    void everyRoute_refusesAMissingKeyWith401_andTheOtherRolesKeyWith403() {
        for (ApiRoutes.Route route : ApiRoutes.ALL) {
            String path = route.resource().replace("{key}", "some-key");
            String wrongRole = route.access() == ApiRoutes.Access.APP ? "admin-key-for-tests" : "app-key-for-tests";
            assertEquals(401, call(new ApiClient(stack.baseUri(), null), route.method(), path).status(), route.toString());
            JsonNode forbidden = call(new ApiClient(stack.baseUri(), wrongRole), route.method(), path).expect(403);
            assertEquals("forbidden", forbidden.get("error").asText());
            assertEquals(403, call(new ApiClient(stack.baseUri(), "not-a-key-at-all"), route.method(), path).status());
        }
    }

    @Test
    void everyRoute_withTheRightKey_isServedLikeTheContractSays() {
        java.util.Set<String> served = new java.util.TreeSet<>();
        java.util.function.BiConsumer<String, ApiClient.Response> ok = (route, response) -> {
            assertTrue(response.status() == 200 || response.status() == 201, route + " -> " + response);
            served.add(route);
        };
        ok.accept("POST /experiments", admin.post("/experiments", "{\"key\": \"every-route\", \"variants\": "
                + "[{\"key\": \"control\", \"weight\": 0.5}, {\"key\": \"green\", \"weight\": 0.5}]}"));
        ok.accept("GET /experiments", admin.get("/experiments?status=draft"));
        ok.accept("GET /experiments/{key}", admin.get("/experiments/every-route"));
        ok.accept("PATCH /experiments/{key}", admin.patch("/experiments/every-route", "{\"version\": 1, \"coverage\": 0.5}"));
        for (String action : new String[] {"start", "pause", "resume", "complete", "archive"}) {
            ok.accept("POST /experiments/{key}/" + action, admin.post("/experiments/every-route/" + action, null));
        }
        ok.accept("GET /experiments/{key}/history", admin.get("/experiments/every-route/history"));
        ok.accept("GET /experiments/{key}/results", admin.get("/experiments/every-route/results"));
        ok.accept("POST /assign", app.post("/assign", "{\"unitId\": \"u1\"}"));
        ok.accept("POST /events", app.post("/events", "{\"events\": []}"));
        ok.accept("GET /sdk/payload", app.get("/sdk/payload"));
        ok.accept("POST /rollouts", admin.post("/rollouts", "{\"key\": \"every-route-r\", \"stages\": "
                + "[{\"percent\": 10, \"bake\": \"PT1H\"}, {\"percent\": 100, \"bake\": \"PT0S\"}]}"));
        ok.accept("GET /rollouts", admin.get("/rollouts"));
        ok.accept("GET /rollouts/{key}", admin.get("/rollouts/every-route-r"));
        for (String action : new String[] {"start", "pause", "resume", "promote", "abort"}) {
            String body = action.equals("promote") ? "{\"fromPercent\": 10}" : null;
            ok.accept("POST /rollouts/{key}/" + action, admin.post("/rollouts/every-route-r/" + action, body));
        }
        ok.accept("GET /rollouts/{key}/history", admin.get("/rollouts/every-route-r/history"));
        ok.accept("POST /holdouts", admin.post("/holdouts", "{\"key\": \"every-route-h\", \"percent\": 5}"));
        ok.accept("GET /holdouts", admin.get("/holdouts?status=draft"));
        ok.accept("GET /holdouts/{key}", admin.get("/holdouts/every-route-h"));
        ok.accept("PATCH /holdouts/{key}", admin.patch("/holdouts/every-route-h", "{\"version\": 1, \"percent\": 2.5}"));
        for (String action : new String[] {"start", "pause", "resume", "complete", "archive"}) {
            ok.accept("POST /holdouts/{key}/" + action, admin.post("/holdouts/every-route-h/" + action, null));
        }
        ok.accept("GET /holdouts/{key}/history", admin.get("/holdouts/every-route-h/history"));
        ok.accept("GET /holdouts/{key}/results", admin.get("/holdouts/every-route-h/results"));

        java.util.Set<String> all = new java.util.TreeSet<>();
        ApiRoutes.ALL.forEach(r -> all.add(r.method() + " " + r.resource()));
        assertEquals(all, served);
    }

    static ApiClient.Response call(ApiClient client, String method, String path) {
        return switch (method) {
            case "GET" -> client.get(path);
            case "PATCH" -> client.patch(path, "{}");
            default -> client.post(path, "{}");
        };
    }

    @Test
    void experimentLifecycle_assignment_events_andResults_overHttp() {
        Scenarios.experiment(admin, app, "e2e-checkout");
    }

    @Test
    void rollouts_advanceWhenHealthy_andRollBackWhenTheTreatmentFails_overHttp() throws InterruptedException {
        LocalOptions options = LocalOptions.parse("--port", "0", "--app-key", "app-key-for-tests",
                "--admin-key", "admin-key-for-tests", "--step-interval", "PT0.2S");
        try (LocalStack fastSteps = LocalStack.start(options)) {
            Scenarios.rollouts(new ApiClient(fastSteps.baseUri(), "admin-key-for-tests"),
                    new ApiClient(fastSteps.baseUri(), "app-key-for-tests"), "e2e");
            assertEquals(1, fastSteps.rolledBack().size(), "one rollback event announced");
            List<Notification> completed = fastSteps.notifications().stream()
                    .filter(n -> n.detailType().equals(Notification.ROLLOUT_COMPLETED)).toList();
            assertEquals(1, completed.size(), fastSteps.notifications().toString());
            assertEquals("e2e-healthy", JsonValues.node(completed.get(0).detail()).get("rollout").asText());
        }
    }

    @Test
    void aBodyThatIsNotUtf8_isA400_notDecodedWithReplacementCharacters() throws Exception {
        // {"unitId": "u-<0xff>"}: a lenient decoder made it "u-\uFFFD", the same unit as any other bad byte.
        byte[] body = HexFormat.of().parseHex("7b22756e69744964223a2022752dff227d");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(stack.baseUri().resolve("/assign"))
                .header("x-api-key", "app-key-for-tests")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(400, response.statusCode(), response.body());
        assertEquals("invalid_request", Json.parseTrusted(response.body()).get("error").asText());
    }

    @Test
    void unknownPath_isNotFound() {
        assertEquals("not_found", admin.get("/nope").expect(404).get("error").asText());
    }

    @Test
    void dataDirectory_keepsExperimentsAndAggregatesAcrossRestarts(@TempDir Path dir) {
        LocalOptions options = LocalOptions.parse("--port", "0", "--data-dir", dir.toString(),
                "--app-key", "app-key-for-tests", "--admin-key", "admin-key-for-tests");
        try (LocalStack first = LocalStack.start(options)) {
            ApiClient a = new ApiClient(first.baseUri(), "admin-key-for-tests");
            a.post("/experiments", "{\"key\": \"kept\", \"variants\": [{\"key\": \"va\", \"weight\": 0.5}, {\"key\": \"vb\", \"weight\": 0.5}]}").expect(201);
            a.post("/experiments/kept/start", null).expect(200);
            new ApiClient(first.baseUri(), "app-key-for-tests").post("/assign", "{\"unitId\": \"u1\"}").expect(200);
        }
        try (LocalStack second = LocalStack.start(options)) {
            ApiClient a = new ApiClient(second.baseUri(), "admin-key-for-tests");
            assertEquals("running", a.get("/experiments/kept").expect(200).get("status").asText());
            JsonNode results = a.get("/experiments/kept/results").expect(200);
            long units = 0;
            for (JsonNode v : results.get("variants")) {
                units += v.get("units").asLong();
            }
            assertEquals(1, units, Json.write(results));
        }
    }
}
