package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.http.ApiRoutes;
import io.splitline.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code invoke <FunctionLogicalId> -e <event>} runs every sample event of {@code events/} through its
 * function's real handler and prints what {@code sam local invoke} would: the proxy response (the step's
 * report, the aggregate function's window answer) as JSON on standard output, nothing else.
 */
class InvokeTest {
    private static final Path EVENTS = Path.of(System.getProperty("splitline.repoRoot"), "events");

    @Test
    void everySampleEvent_againstARunningStack_answersWhatTheStackAnswers() throws Exception {
        LocalOptions options = LocalOptions.parse("--port", "0", "--app-key", "app-key-for-tests", "--admin-key", "admin-key-for-tests");
        try (LocalStack stack = LocalStack.start(options)) {
            ApiClient admin = new ApiClient(stack.baseUri(), "admin-key-for-tests");
            List<Path> files = sampleEvents();
            // In lifecycle order, so that each event finds its experiment or rollout in a state it applies to.
            files.sort(Comparator.comparing(InvokeTest::lifecycleRank));
            List<String> invoked = new ArrayList<>();
            for (Path file : files) {
                MainTest.Run run = MainTest.run("invoke", function(file), "-e", file.toString(),
                        "--dynamodb-endpoint", stack.dynamoDbEndpoint().toString());

                assertEquals(0, run.status(), file + ": " + run.err());
                assertEquals(1, run.out().lines().count(), file + " prints its response alone: " + run.out());
                JsonNode response = Json.parse(run.out());
                if (function(file).equals(Invoke.ROLLOUT_STEP)) {
                    assertTrue(response.get("rollouts").isArray(), file + ": " + response);
                } else if (function(file).equals(Invoke.AGGREGATE)) {
                    assertTrue(response.get("state").isObject() && response.get("batchItemFailures").isEmpty(), file + ": " + response);
                } else {
                    int status = response.get("statusCode").intValue();
                    assertTrue(status < 500, file + ": " + response);
                    JsonNode body = Json.parse(response.get("body").textValue());
                    assertTrue(body.isObject(), file + ": " + response);
                }
                invoked.add(file.getFileName().toString());
            }
            assertEquals(sampleEvents().size(), invoked.size());
            // What the invocations wrote is in the stack's tables: the HTTP API sees it.
            assertEquals("checkout-button", admin.get("/experiments/checkout-button").expect(200).get("key").asText());
            assertEquals("new-ranker", admin.get("/rollouts/new-ranker").expect(200).get("key").asText());
            List<String> reasons = new ArrayList<>();
            admin.get("/rollouts/new-ranker/history").expect(200).get("entries").forEach(e -> {
                if (e.get("decision").asText().equals("manual")) {
                    reasons.add(e.get("reason").asText());
                }
            });
            assertEquals(List.of("create", "start", "pause", "resume", "promote", "abort"), reasons);
        }
    }

    @Test
    void aDataDirectory_keepsWhatOneInvocationWroteForTheNext(@TempDir Path dir) throws Exception {
        MainTest.Run create = MainTest.run("invoke", "ExperimentsFunction", "-e", EVENTS.resolve("experiments-create.json").toString(),
                "--data-dir", dir.toString());
        MainTest.Run get = MainTest.run("invoke", "ExperimentsFunction", "-e", EVENTS.resolve("experiments-get.json").toString(),
                "--data-dir", dir.toString());

        assertEquals(201, Json.parse(create.out()).get("statusCode").intValue(), create.out());
        JsonNode response = Json.parse(get.out());
        assertEquals(200, response.get("statusCode").intValue(), get.out());
        assertEquals("checkout-button", Json.parse(response.get("body").textValue()).get("key").textValue());
    }

    @Test
    void withoutStorageOptions_tablesAreFreshAndInMemory() throws Exception {
        MainTest.Run get = MainTest.run("invoke", "ExperimentsFunction", "-e", EVENTS.resolve("experiments-get.json").toString());

        assertEquals(0, get.status(), get.err());
        assertEquals(404, Json.parse(get.out()).get("statusCode").intValue(), get.out());
    }

    private static final List<String> LIFECYCLE = List.of("create", "start", "pause", "resume", "update", "promote");
    private static final List<String> LAST = List.of("complete", "archive", "abort");

    private static int lifecycleRank(Path file) {
        String name = file.getFileName().toString();
        String action = name.substring(name.lastIndexOf('-') + 1, name.length() - ".json".length());
        return LIFECYCLE.contains(action) ? LIFECYCLE.indexOf(action)
                : LAST.contains(action) ? 100 + LAST.indexOf(action) : 50;
    }

    /** The logical id of the function an event is for: its route's function, or the scheduled step. */
    static String function(Path file) {
        JsonNode event = Json.parse(read(file));
        if (event.has("detail-type")) {
            return Invoke.ROLLOUT_STEP;
        }
        if (event.has("Records")) {
            return Invoke.AGGREGATE;
        }
        return ApiRoutes.ALL.stream()
                .filter(r -> r.method().equals(event.get("httpMethod").textValue()) && r.resource().equals(event.get("resource").textValue()))
                .findFirst().orElseThrow(() -> new AssertionError(file + " matches no route"))
                .function().logicalId();
    }

    static List<Path> sampleEvents() throws IOException {
        try (Stream<Path> files = Files.list(EVENTS)) {
            return new ArrayList<>(files.filter(f -> f.toString().endsWith(".json")).sorted().toList());
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
