package io.splitline.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.devkit.DynamoDbLocal;
import io.splitline.devkit.SamTemplate;
import io.splitline.functions.aggregate.AggregateHandler;
import io.splitline.functions.rolloutstep.RolloutStepHandler;
import io.splitline.http.ApiHandler;
import io.splitline.http.ApiRoutes;
import io.splitline.json.Json;
import io.splitline.rollout.health.CloudWatchHealthSource;
import io.splitline.rollout.health.HealthSource;
import io.splitline.store.TableNames;
import io.splitline.wiring.Wiring;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.joda.time.DateTime;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code invoke <FunctionLogicalId> -e <event.json>}: what {@code sam local invoke} does, without Docker.
 * Runs the function's real handler class once on the event file (API functions through the same stream
 * entry point Lambda calls) against DynamoDB (a running stack's endpoint, a data directory, or fresh
 * in-memory tables) and prints the response JSON on standard output; logs go to standard error.
 */
final class Invoke {
    static final String ROLLOUT_STEP = "RolloutStepFunction";
    static final String AGGREGATE = "AggregateFunction";

    private final PrintStream out;
    private final PrintStream log;

    Invoke(PrintStream out, PrintStream log) {
        this.out = out;
        this.log = log;
    }

    /** The logical ids {@code invoke} knows: every function of {@code template.yaml}. */
    static List<String> functions() {
        List<String> ids = new ArrayList<>();
        for (ApiRoutes.Function f : ApiRoutes.Function.values()) {
            ids.add(f.logicalId());
        }
        ids.add(ROLLOUT_STEP);
        ids.add(AGGREGATE);
        return ids;
    }

    /** Runs the invocation; 0 when the function answered (whatever its status code), 1 when it failed. */
    int run(LocalOptions options) throws IOException {
        if (!functions().contains(options.function())) {
            throw new LocalOptions.UsageException("unknown function '" + options.function() + "': use one of "
                    + functions() + " (the function logical ids of template.yaml)");
        }
        byte[] event;
        try {
            event = Files.readAllBytes(options.event());
        } catch (NoSuchFileException e) {
            throw new LocalOptions.UsageException("event file " + options.event() + " not found: the samples are in events/");
        }
        DynamoDbLocal embedded = options.dynamoDbEndpoint() == null ? DynamoDbLocal.start(options.dataDir(), 0) : null;
        try {
            DynamoDbClient client = embedded != null ? embedded.client() : DynamoDbLocal.client(options.dynamoDbEndpoint());
            // A stack's tables are named by their logical ids; existing ones are kept.
            TableNames tables = TableNames.fromLogicalIds(SamTemplate.load().createTables(client, ""));
            Wiring wiring = Wiring.of(client, tables, Clock.systemUTC(), new InMemoryMetrics(), Map.of());
            Answer answer = switch (options.function()) {
                case ROLLOUT_STEP -> rolloutStep(wiring, options, Json.MAPPER.readTree(event));
                case AGGREGATE -> aggregate(wiring, event);
                default -> api(wiring, options.function(), event);
            };
            out.println(answer.json());
            return answer.failed() ? 1 : 0;
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** What the invocation printed, and whether the function failed (rather than answered). */
    private record Answer(String json, boolean failed) {
    }

    private Answer api(Wiring wiring, String function, byte[] event) throws IOException {
        ApiHandler handler = LocalFunctions.api(wiring, new LocalNotifications(log)).entrySet().stream()
                .filter(e -> e.getKey().logicalId().equals(function))
                .findFirst().orElseThrow().getValue();
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), response, new LocalLambdaContext(function));
        return new Answer(response.toString(StandardCharsets.UTF_8), false);
    }

    /** A batch of the events table's stream (tumbling-window form), read by the Lambda runtime's own deserializer. */
    private Answer aggregate(Wiring wiring, byte[] event) {
        DynamodbTimeWindowEvent batch = LambdaEventSerializers.serializerFor(DynamodbTimeWindowEvent.class, Invoke.class.getClassLoader())
                .fromJson(new ByteArrayInputStream(event));
        try {
            return new Answer(Json.write(new AggregateHandler(wiring).handleRequest(batch, new LocalLambdaContext(AGGREGATE))), false);
        } catch (RuntimeException e) {
            return functionError(e);
        }
    }

    private Answer rolloutStep(Wiring wiring, LocalOptions options, JsonNode json) {
        HealthSource health = options.cloudWatchEndpoint() == null ? new InMemoryMetrics()
                : new CloudWatchHealthSource(LocalStack.cloudWatch(options.cloudWatchEndpoint()));
        RolloutStepHandler handler = new RolloutStepHandler(wiring, health, new LocalNotifications(log), LocalTargets.of(options));
        ScheduledEvent event = new ScheduledEvent()
                .withId(json.path("id").asText(null))
                .withSource(json.path("source").asText(null))
                .withDetailType(json.path("detail-type").asText(null))
                .withAccount(json.path("account").asText(null))
                .withRegion(json.path("region").asText(null))
                .withTime(json.hasNonNull("time") ? DateTime.parse(json.get("time").asText()) : null);
        try {
            return new Answer(Json.write(handler.handleRequest(event, new LocalLambdaContext(ROLLOUT_STEP))), false);
        } catch (RuntimeException e) {
            return functionError(e);
        }
    }

    /** What the Lambda runtime answers for a function error. */
    private static Answer functionError(RuntimeException e) {
        return new Answer(Json.write(Json.object().put("errorMessage", e.getMessage()).put("errorType", e.getClass().getName())), true);
    }
}
