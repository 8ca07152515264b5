package io.splitline.assignment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.experiment.Experiment;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.json.Json;
import java.time.Instant;

/** Experiments for tests, built through the real parser so that they obey every definition rule. */
final class TestExperiments {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private TestExperiments() {
    }

    static Experiment running(String specJson) {
        return withStatus(specJson, ExperimentStatus.RUNNING);
    }

    static Experiment withStatus(String specJson, ExperimentStatus status) {
        return of(Json.parse(specJson), status);
    }

    static Experiment of(JsonNode spec, ExperimentStatus status) {
        return new Experiment(ExperimentJson.parseSpec(spec), status, 1, T0, T0,
                status == ExperimentStatus.DRAFT ? null : T0, null);
    }

    /** A definition with the given key, weights (variants v0, v1, …; v0 is control) and coverage. */
    static ObjectNode spec(String key, double[] weights, double coverage) {
        ObjectNode spec = Json.object();
        spec.put("key", key);
        ArrayNode variants = spec.putArray("variants");
        for (int i = 0; i < weights.length; i++) {
            variants.addObject().put("key", "v" + i).put("weight", weights[i]);
        }
        spec.put("coverage", coverage);
        return spec;
    }

    static Experiment running(String key, double[] weights, double coverage) {
        return of(spec(key, weights, coverage), ExperimentStatus.RUNNING);
    }
}
