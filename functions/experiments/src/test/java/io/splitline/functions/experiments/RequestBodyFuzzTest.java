package io.splitline.functions.experiments;

import static io.splitline.functions.experiments.Fixtures.ADA;
import static io.splitline.functions.experiments.Fixtures.KEY;
import static io.splitline.functions.experiments.Fixtures.event;
import static io.splitline.functions.experiments.Fixtures.example;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.devkit.SampleEvents;
import io.splitline.experiment.ExperimentJson;
import io.splitline.http.BodyFuzz;
import io.splitline.http.HandlerCalls;
import io.splitline.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fixed-seed fuzz test ({@link BodyFuzz}) of the management API's request bodies (POST /experiments, PATCH
 * /experiments/{key}, POST /rollouts, POST /holdouts): valid example bodies, mutated at random JSON paths,
 * driven through the real handler on DynamoDB Local. Whatever the body, the answer is a 2xx or a 4xx with
 * the documented error body, never a 5xx nor an exception. Each failure names the seed, the case and the
 * mutated body, so it can be replayed.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class RequestBodyFuzzTest {
    private static final long SEED = 0x5EED_F022L;
    private static final int CASES_PER_ROUTE = 1000;

    private static final String ROLLOUT = body("rollouts-create.json");
    private static final String HOLDOUT = """
            {"key": "q1-holdout", "percent": 5, "seed": "q1", "description": "Q1 holdout",
             "metrics": [{"key": "purchase", "type": "conversion", "role": "primary"},
                         {"key": "revenue", "type": "mean", "cap": {"value": 100}}],
             "confidenceLevel": 0.95, "minimumSampleSize": 100}""";
    private static final String PATCH = """
            {"version": 1, "description": "Green buy button, larger", "coverage": 0.5,
             "variants": [{"key": "control", "weight": 0.5, "config": {"color": "blue"}},
                          {"key": "green", "weight": 0.5, "config": {"color": "green", "size": [1, 2.5]}}],
             "metrics": [{"key": "purchase", "type": "conversion", "role": "primary", "minimumDetectableEffect": 0.05},
                         {"key": "revenue", "type": "mean", "cap": {"percentile": 0.99}},
                         {"key": "rps", "type": "ratio", "numerator": "revenue", "denominator": "session"}],
             "startAt": "2027-01-04T09:00:00Z", "endAt": "2027-01-18T09:00:00Z",
             "multipleTesting": "benjamini_hochberg", "expectedUnitsPerVariant": 2500, "lookbackDays": 14,
             "aggregateShards": 8, "dimensions": ["country", "platform"], "targeting": null}""";

    private static String body(String sample) {
        try {
            return Json.parse(Files.readString(SampleEvents.path(sample))).get("body").textValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void createExperiment_neverAnswers5xx(LocalTables tables) {
        ObjectNode base = example();
        base.put("startAt", "2027-01-04T09:00:00Z").put("endAt", "2027-01-18T09:00:00Z")
                .put("multipleTesting", "holm").put("expectedUnitsPerVariant", 2500).put("lookbackDays", 14)
                .put("aggregateShards", 4).putArray("dimensions").add("country");
        fuzz(tables, "POST /experiments", 1, keyed(base), text -> event("POST", "/experiments", null, null, text));
    }

    @Test
    void patchExperiment_neverAnswers5xx(LocalTables tables) {
        Fixtures.service(tables).create(ExperimentJson.parseSpec(example()), ADA);
        ObjectNode base = (ObjectNode) Json.parse(PATCH);
        int[] version = {1};
        fuzz(tables, "PATCH /experiments/{key}", 2, i -> {
            ObjectNode b = base.deepCopy();
            b.put("version", version[0]);
            return b;
        }, text -> event("PATCH", "/experiments/{key}", KEY, null, text), answer -> {
            if (answer.status() == 200) {
                version[0] = answer.body().get("version").intValue();
            }
        });
    }

    @Test
    void createRollout_neverAnswers5xx(LocalTables tables) {
        ObjectNode base = (ObjectNode) Json.parse(ROLLOUT);
        fuzz(tables, "POST /rollouts", 3, keyed(base), text -> event("POST", "/rollouts", null, null, text));
    }

    @Test
    void createHoldout_neverAnswers5xx(LocalTables tables) {
        ObjectNode base = (ObjectNode) Json.parse(HOLDOUT);
        fuzz(tables, "POST /holdouts", 4, keyed(base), text -> event("POST", "/holdouts", null, null, text));
    }

    /** Case i's valid create body: {@code base} with a key of its own, so that no create collides with an earlier one. */
    private static IntFunction<ObjectNode> keyed(ObjectNode base) {
        return i -> base.deepCopy().put("key", "fuzz-" + i);
    }

    private static void fuzz(LocalTables tables, String route, long salt, IntFunction<ObjectNode> valid,
                             Function<String, APIGatewayProxyRequestEvent> request) {
        fuzz(tables, route, salt, valid, request, answer -> { });
    }

    private static void fuzz(LocalTables tables, String route, long salt, IntFunction<ObjectNode> valid,
                             Function<String, APIGatewayProxyRequestEvent> request, Consumer<HandlerCalls.Answer> after) {
        BodyFuzz.run(Fixtures.handler(tables), route, SEED ^ (salt << 32), CASES_PER_ROUTE, valid, request, after);
    }
}
