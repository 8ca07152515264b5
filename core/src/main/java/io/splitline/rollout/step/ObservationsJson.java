package io.splitline.rollout.step;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.experiment.MetricType;
import io.splitline.json.Json;
import io.splitline.json.JsonValue;
import io.splitline.json.JsonValues;
import io.splitline.rollout.Rollout;
import io.splitline.rollout.health.HealthJson;
import java.time.Duration;

/**
 * The JSON form of the evidence behind one of the step's decisions, as a rollout's history records it
 * ({@code observations}: stage, bake, CloudWatch health, guardrails). Kept apart from {@link RolloutDecider}
 * so that the decision rules hold no JSON code.
 */
final class ObservationsJson {
    private ObservationsJson() {
    }

    /** What a decision at {@code elapsed} into the current stage was based on. */
    static JsonValue.JsonObject of(Rollout r, StageEvidence evidence, Duration elapsed) {
        return JsonValues.of(tree(r, evidence, elapsed));
    }

    private static ObjectNode tree(Rollout r, StageEvidence evidence, Duration elapsed) {
        ObjectNode node = Json.object();
        node.put("stageIndex", r.stageIndex());
        node.put("percent", r.percent());
        ObjectNode bake = node.putObject("bake");
        bake.put("stageStartedAt", r.stageStartedAt().toString());
        bake.put("required", r.stage().bake().toString());
        bake.put("elapsed", elapsed.toString());
        bake.put("complete", elapsed.compareTo(r.stage().bake()) >= 0);
        node.set("health", evidence.health() == null ? null : HealthJson.toJson(evidence.health()));
        if (evidence.healthError() != null) {
            node.put("healthError", evidence.healthError());
        }
        ArrayNode guardrails = node.putArray("guardrails");
        for (GuardrailObservation g : evidence.guardrails()) {
            guardrails.add(guardrail(g, r.spec().health().minimumUnitsPerArm()));
        }
        return node;
    }

    /** One guardrail's figures as the history records them. */
    static ObjectNode guardrail(GuardrailObservation g, int minimumUnitsPerArm) {
        ObjectNode node = Json.object();
        node.put("metric", g.guardrail().metric());
        node.put("type", g.guardrail().type().json());
        node.put("direction", g.guardrail().direction().json());
        node.put("minimumUnitsPerArm", minimumUnitsPerArm);
        String value = g.guardrail().type() == MetricType.CONVERSION ? "rate" : "mean";
        node.putObject("control").put("units", g.controlUnits()).put(value, g.controlValue());
        node.putObject("treatment").put("units", g.treatmentUnits()).put(value, g.treatmentValue());
        node.put("applied", g.applied());
        node.put("statistic", g.statistic());
        node.put("pValue", g.pValue());
        node.put("alpha", g.alpha());
        node.put("worse", g.worse());
        return node;
    }
}
