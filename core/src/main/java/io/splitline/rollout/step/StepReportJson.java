package io.splitline.rollout.step;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.EnumCodec;
import io.splitline.json.Json;

/** The JSON of a scheduled step's {@link StepReport}: the rollout step function's answer and its log. */
public final class StepReportJson {
    private StepReportJson() {
    }

    public static ObjectNode toJson(StepReport report) {
        ObjectNode node = Json.object();
        node.put("startedAt", report.startedAt().toString());
        ArrayNode array = node.putArray("rollouts");
        report.outcomes().forEach(o -> array.add(toJson(o)));
        node.put("failures", report.failures().size());
        return node;
    }

    public static ObjectNode toJson(StepOutcome outcome) {
        ObjectNode node = Json.object();
        node.put("key", outcome.key());
        node.put("result", EnumCodec.name(outcome.result()));
        node.put("decision", outcome.decision() == null ? null : outcome.decision().json());
        node.put("version", outcome.version());
        node.put("detail", outcome.detail());
        return node;
    }
}
