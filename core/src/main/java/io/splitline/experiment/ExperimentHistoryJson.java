package io.splitline.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import io.splitline.json.JsonValue;
import io.splitline.json.JsonValues;
import java.time.Instant;

/**
 * The {@code changes} of an experiment's history entries (docs/api.md, "History"): the definition on
 * {@code create}, {@code {field: {"from", "to"}}} on {@code update}, {@code {"status": {"from", "to"}}}
 * (and {@code scheduledFor}) on a lifecycle action.
 */
final class ExperimentHistoryJson {
    private ExperimentHistoryJson() {
    }

    /** A definition's API form, the {@code changes} of its {@code create} entry and what {@link SpecDiff} compares. */
    static JsonValue.JsonObject spec(ExperimentSpec spec) {
        return JsonValues.of(ExperimentJson.specToJson(spec));
    }

    /** {@code {field: {"from": old, "to": new}}}. */
    static JsonValue.JsonObject updated(SpecDiff diff) {
        ObjectNode node = Json.object();
        diff.changes().forEach((field, change) -> {
            ObjectNode c = node.putObject(field);
            c.set("from", JsonValues.node(change.from()));
            c.set("to", JsonValues.node(change.to()));
        });
        return JsonValues.of(node);
    }

    /** {@code {"status": {"from", "to"}}}, with {@code scheduledFor} when the scheduler took the action. */
    static JsonValue.JsonObject moved(ExperimentStatus from, ExperimentStatus to, Instant scheduledFor) {
        ObjectNode changes = Json.object();
        changes.putObject("status").put("from", from.json()).put("to", to.json());
        if (scheduledFor != null) {
            changes.put("scheduledFor", scheduledFor.toString());
        }
        return JsonValues.of(changes);
    }
}
