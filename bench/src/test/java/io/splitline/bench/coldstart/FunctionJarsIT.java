package io.splitline.bench.coldstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.bench.BenchDefinitions;
import io.splitline.devkit.DynamoDbLocal;
import io.splitline.devkit.MotoServer;
import io.splitline.devkit.MotoServerExtension;
import io.splitline.devkit.SamTemplate;
import io.splitline.http.ApiRoutes;
import io.splitline.json.Json;
import io.splitline.store.TableNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The deployment packages work as Lambda runs them: every function jar of {@code template.yaml} (shaded and
 * minimized, docs/performance.md) is run by the AWS Lambda Java runtime client in a fresh JVM, with the
 * template's handler, against DynamoDB Local and moto (EventBridge, CloudWatch, S3, Lambda
 * and SageMaker), and answers every sample event of {@code events/} for it. A class the minimization stripped
 * but the code loads (by name, through {@code ServiceLoader}, or on a path no other test takes in the jar)
 * fails here as an init error, an invocation error or a 500. Runs after {@code package} (failsafe), when the
 * jars exist. The jar goes to the task root's {@code lib/}, where the runtime client loads jars from (a package
 * layout Lambda accepts as well), rather than unpacked as the cold-start measurement does: the classes and
 * resources are the same, and unpacking the rollout step's 19 000 entries would cost the build minutes under load.
 */
@ExtendWith(MotoServerExtension.class)
class FunctionJarsIT {
    private static final Path ROOT = Path.of(System.getProperty("splitline.repoRoot"));
    private static final String ROLLOUT_STEP = "RolloutStepFunction";
    private static final String AGGREGATE = "AggregateFunction";
    /** Lambda's java17 runtime flags, as bench/cold-start.sh passes them. */
    private static final List<String> LAMBDA_JAVA_OPTIONS = List.of("-XX:MaxHeapSize=870m", "-XX:+UseSerialGC",
            "-Xshare:auto", "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "-Djava.net.preferIPv4Stack=true");
    private static final long TIMEOUT_SECONDS = 180;
    private static final String BUCKET = "function-jars-payload";
    /** Lifecycle order, so that each sample finds its experiment or rollout in a state it applies to. */
    private static final List<String> LIFECYCLE = List.of("create", "start", "pause", "resume", "update", "promote");
    private static final List<String> LAST = List.of("complete", "archive", "abort");

    @Test
    void everyFunctionJar_answersItsSampleEvents_inAFreshLambdaRuntime(MotoServer moto) throws Exception {
        Map<String, List<Path>> samples = samplesByFunction();
        Map<String, ColdStart.Subject> functions = functionsOfTheTemplate();
        assertEquals(functions.keySet(), samples.keySet(), "every function has sample events, and every sample a function");
        Path work = Files.createDirectories(ROOT.resolve("bench/target/function-jars-it"));
        S3Client s3 = S3Client.builder().endpointOverride(moto.endpoint()).region(moto.region()).forcePathStyle(true)
                .credentialsProvider(moto.credentials()).httpClient(UrlConnectionHttpClient.create()).build();
        s3.createBucket(b -> b.bucket(BUCKET));

        try (DynamoDbLocal dynamoDb = DynamoDbLocal.startInMemory()) {
            TableNames tables = TableNames.fromLogicalIds(SamTemplate.load().createTables(dynamoDb.client(), "jars_"));
            // Running experiments for /assign, the results and the step's watch, none named like a sample's.
            Set<String> sampleKeys = sampleKeys(samples);
            BenchDefinitions.createRunning(dynamoDb.client(), tables, Clock.systemUTC(), BenchDefinitions.TEN_EXPERIMENTS.stream()
                    .filter(d -> !sampleKeys.contains(Json.parseTrusted(d).get("key").textValue())).toList());
            Map<String, String> environment = new LinkedHashMap<>(ColdStart.environment(dynamoDb, tables, work));
            for (String service : List.of("EVENTBRIDGE", "CLOUDWATCH", "S3", "TARGETS")) {
                environment.put(service + "_ENDPOINT", moto.endpoint().toString());
            }
            environment.put("PAYLOAD_BUCKET", BUCKET);

            for (var function : functions.entrySet()) {
                List<String> responses = invoke(function.getValue(), samples.get(function.getKey()), environment, work);
                for (int i = 0; i < responses.size(); i++) {
                    assertAnswered(function.getKey(), samples.get(function.getKey()).get(i), Json.parseTrusted(responses.get(i)));
                }
            }
            // The assignment function's SnapStart init primes its request path (wiring.SnapStart) before the restore.
            ColdStart.Subject assignment = functions.get("AssignmentFunction");
            ColdStart.Subject snapStart = new ColdStart.Subject("AssignmentFunction-snapstart", assignment.jar(), assignment.handler(),
                    Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start"));
            Path assign = ROOT.resolve("events/assign.json");
            assertAnswered(snapStart.label(), assign, Json.parseTrusted(invoke(snapStart, List.of(assign), environment, work).get(0)));
        }
        // The management changes and the step published the SDK payload through the jars' S3 clients.
        String payload = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("sdk/payload.json")).asUtf8String();
        assertTrue(Json.parseTrusted(payload).path("features").isObject(), payload);
    }

    /** Runs {@code subject}'s jar in one fresh Lambda runtime and sends it {@code events} in turn; its responses. */
    private static List<String> invoke(ColdStart.Subject subject, List<Path> events, Map<String, String> environment, Path work)
            throws Exception {
        List<String> bodies = new ArrayList<>();
        for (Path event : events) {
            bodies.add(Files.readString(event));
        }
        // A fresh task root each run: classes left in one by an earlier run would be loaded before the jar's.
        Path taskRoot = Files.createTempDirectory(work, subject.label() + "-").toAbsolutePath();
        Files.createDirectories(taskRoot.resolve("lib"));
        Files.copy(subject.jar(), taskRoot.resolve("lib").resolve(subject.jar().getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Path log = work.resolve(subject.label() + ".log");
        try (RuntimeApiEmulator api = new RuntimeApiEmulator(bodies)) {
            Process process = ColdStart.launch(subject, taskRoot, ROOT.resolve("bench/target/lambda-runtime/*").toString(),
                    LAMBDA_JAVA_OPTIONS, environment, api, log);
            try {
                assertTrue(api.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), subject.label() + ": no answer in time; " + Files.readString(log));
                assertNull(api.error(), subject.label() + " failed (" + api.responses().size() + " answered); " + Files.readString(log));
                // SLF4J falls back to discarding every log line when ServiceLoader finds no provider in the jar.
                assertFalse(Files.readString(log).contains("No SLF4J providers"), subject.label() + ": " + Files.readString(log));
                return api.responses();
            } finally {
                process.destroy();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** An API answer below 500 with a JSON object body, the step's report, or the aggregate function's window answer. */
    private static void assertAnswered(String function, Path sample, JsonNode response) {
        String what = function + " on " + sample.getFileName() + ": " + response;
        if (function.equals(ROLLOUT_STEP)) {
            assertTrue(response.path("rollouts").isArray() && response.path("experiments").isArray(), what);
            return;
        }
        if (function.equals(AGGREGATE)) { // the tumbling-window answer: the (empty) window state, no partial failures
            assertTrue(response.path("state").isObject() && response.path("batchItemFailures").isEmpty(), what);
            return;
        }
        assertTrue(response.path("statusCode").intValue() > 0 && response.path("statusCode").intValue() < 500, what);
        assertTrue(Json.parseTrusted(response.path("body").textValue()).isObject(), what);
    }

    /** The template's functions, the management function first (its samples create what the others read). */
    private static Map<String, ColdStart.Subject> functionsOfTheTemplate() {
        SamTemplate template = SamTemplate.load(ROOT.resolve("template.yaml"));
        Map<String, ColdStart.Subject> functions = new TreeMap<>(Comparator.comparing((String id) -> !id.equals("ExperimentsFunction"))
                .thenComparing(Comparator.naturalOrder()));
        for (String id : template.resourcesOfType("AWS::Serverless::Function")) {
            Map<String, Object> properties = template.properties(id);
            functions.put(id, new ColdStart.Subject(id, ROOT.resolve((String) properties.get("CodeUri")),
                    (String) properties.get("Handler"), Map.of()));
        }
        return functions;
    }

    /** Every sample of {@code events/} under the function that receives it, in lifecycle order. */
    private static Map<String, List<Path>> samplesByFunction() throws IOException {
        Map<String, List<Path>> samples = new TreeMap<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("events"))) {
            files.filter(f -> f.toString().endsWith(".json")).sorted()
                    .sorted(Comparator.comparing(FunctionJarsIT::lifecycleRank))
                    .forEach(f -> samples.computeIfAbsent(function(f), k -> new ArrayList<>()).add(f));
        }
        return samples;
    }

    private static String function(Path sample) {
        JsonNode event = read(sample);
        if (event.has("detail-type")) {
            return ROLLOUT_STEP;
        }
        if (event.has("Records")) {
            return AGGREGATE;
        }
        return ApiRoutes.ALL.stream()
                .filter(r -> r.method().equals(event.path("httpMethod").textValue()) && r.resource().equals(event.path("resource").textValue()))
                .findFirst().orElseThrow(() -> new AssertionError(sample + " matches no route"))
                .function().logicalId();
    }

    private static int lifecycleRank(Path sample) {
        String name = sample.getFileName().toString();
        String action = name.substring(name.lastIndexOf('-') + 1, name.length() - ".json".length());
        return LIFECYCLE.contains(action) ? LIFECYCLE.indexOf(action) : LAST.contains(action) ? 100 + LAST.indexOf(action) : 50;
    }

    /** The experiment and rollout keys the samples name, in their paths or bodies. */
    private static Set<String> sampleKeys(Map<String, List<Path>> samples) {
        Set<String> keys = new HashSet<>();
        samples.values().forEach(files -> files.forEach(f -> {
            JsonNode event = read(f);
            keys.add(event.path("pathParameters").path("key").asText());
            if (event.path("body").isTextual() && event.path("body").textValue().startsWith("{")) {
                keys.add(Json.parseTrusted(event.path("body").textValue()).path("key").asText());
            }
        }));
        return keys;
    }

    private static JsonNode read(Path file) {
        try {
            return Json.parseTrusted(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
