package io.splitline.rollout.step;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import io.splitline.json.JsonValue;
import io.splitline.json.JsonValues;
import io.splitline.rollout.Rollout;
import io.splitline.rollout.traffic.ArmMetricsSource;
import io.splitline.rollout.traffic.RolloutTarget;
import io.splitline.rollout.traffic.TargetJson;
import io.splitline.rollout.traffic.TrafficReading;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON of what {@link TargetStep}'s preflight saw of a rollout's target, as a decision's observations
 * record it under {@code target}: the target, its weights as read, and the drift or the arms' metrics. Kept
 * apart from the step so that it holds no JSON code, as {@link ObservationsJson} is for the decider.
 */
final class TargetObservationsJson {
    private TargetObservationsJson() {
    }

    /** {@code {"target", "error"}}: the target could not be read. */
    static JsonValue.JsonObject unreadable(RolloutTarget target, String error) {
        ObjectNode node = Json.object();
        node.set("target", TargetJson.toJson(target));
        node.put("error", error);
        return JsonValues.of(node);
    }

    /** {@code {"target", "weights", "treatmentShare", "status", "updatable", "notReady"}}. */
    static JsonValue.JsonObject read(RolloutTarget target, TrafficReading reading) {
        return JsonValues.of(reading(target, reading));
    }

    /** What was read, and {@code drift}: why the target is not as this rollout left it. */
    static JsonValue.JsonObject drifted(RolloutTarget target, TrafficReading reading, String drift) {
        return JsonValues.of(reading(target, reading).put("drift", drift));
    }

    /** What was read, and the arms' {@code metrics} over the window the step read. */
    static JsonValue.JsonObject measured(RolloutTarget target, TrafficReading reading, ArmMetricsSource.ArmMetrics arms) {
        ObjectNode node = reading(target, reading);
        ObjectNode metrics = node.putObject("metrics");
        metrics.put("from", arms.from().toString());
        metrics.put("to", arms.to().toString());
        metrics.put("lag", reading.metricsLag().toString());
        for (var arm : List.of(Map.entry(Rollout.CONTROL, arms.control()), Map.entry(Rollout.TREATMENT, arms.treatment()))) {
            ObjectNode a = metrics.putObject(arm.getKey());
            a.put("invocations", arm.getValue().invocations());
            a.put("errors", arm.getValue().errors());
            a.put("latencyMs", arm.getValue().latencyMs());
        }
        return JsonValues.of(node);
    }

    private static ObjectNode reading(RolloutTarget target, TrafficReading reading) {
        ObjectNode node = Json.object();
        node.set("target", TargetJson.toJson(target));
        ObjectNode weights = node.putObject("weights");
        new TreeMap<>(reading.shares()).forEach(weights::put);
        node.put("treatmentShare", reading.share(target.treatment()));
        node.put("status", reading.status());
        node.put("updatable", reading.updatable());
        var notReady = node.putArray("notReady");
        reading.notReady().forEach(notReady::add);
        return node;
    }
}
