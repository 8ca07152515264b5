package io.splitline.holdout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.json.Json;
import io.splitline.json.JsonValue;
import io.splitline.json.JsonValues;

/**
 * The {@code changes} of a holdout's history entries: the definition on {@code create},
 * {@code {field: {"from", "to"}}} on {@code update}, {@code {"status": {"from", "to"}}} on a lifecycle action.
 */
final class HoldoutHistoryJson {
    private HoldoutHistoryJson() {
    }

    /** The definition's API form, the {@code changes} of its {@code create} entry. */
    static JsonValue.JsonObject spec(HoldoutSpec spec) {
        return JsonValues.of(HoldoutJson.specToJson(spec));
    }

    /** {@code {field: {"from", "to"}}} for each top-level field that differs, in the API form's order; empty when none does. */
    static JsonValue.JsonObject diff(HoldoutSpec from, HoldoutSpec to) {
        ObjectNode a = HoldoutJson.specToJson(from);
        ObjectNode b = HoldoutJson.specToJson(to);
        ObjectNode changes = Json.object();
        for (String field : HoldoutJson.FIELDS) {
            JsonNode before = a.has(field) ? a.get(field) : NullNode.getInstance();
            JsonNode after = b.has(field) ? b.get(field) : NullNode.getInstance();
            if (!before.equals(after)) {
                ObjectNode change = changes.putObject(field);
                change.set("from", before);
                change.set("to", after);
            }
        }
        return JsonValues.of(changes);
    }

    /** {@code {"status": {"from", "to"}}}. */
    static JsonValue.JsonObject moved(ExperimentStatus from, ExperimentStatus to) {
        ObjectNode changes = Json.object();
        changes.putObject("status").put("from", from.json()).put("to", to.json());
        return JsonValues.of(changes);
    }
}
