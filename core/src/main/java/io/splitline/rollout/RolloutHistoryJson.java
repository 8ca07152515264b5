package io.splitline.rollout;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import io.splitline.json.JsonValues;
import io.splitline.store.HistoryEntry;
import io.splitline.store.HistoryEntryJson;

/**
 * A rollout's history entries: the entry each version writes (its decision, and the status and stage it
 * left the rollout in) and their API form.
 */
public final class RolloutHistoryJson {
    private RolloutHistoryJson() {
    }

    /**
     * The history entry recording how {@code r} came to be: its decision, with the status and stage it
     * left the rollout in ({@code changes} of the store's entry; the creation entry also keeps the
     * whole definition).
     */
    public static HistoryEntry historyEntry(Rollout r) {
        RolloutDecision d = r.lastDecision();
        ObjectNode changes = Json.object();
        changes.put("fromPercent", d.fromPercent());
        changes.put("toPercent", d.toPercent());
        changes.put("status", r.status().json());
        changes.put("stageIndex", r.stageIndex());
        changes.put("reason", d.reason());
        changes.set("observations", JsonValues.node(d.observations()));
        if (r.version() == 1) {
            changes.set("definition", RolloutJson.specToJson(r.spec()));
        }
        return new HistoryEntry(d.at(), d.actor(), d.decision().json(), r.version(), JsonValues.of(changes));
    }

    /**
     * The API form of a history entry: {@code {"at", "actor", "version", "decision", "fromPercent",
     * "toPercent", "status", "stageIndex", "reason", "observations"}} (+ {@code definition} on creation,
     * + {@code count}, {@code lastSeenAt} and {@code lastVersion} on collapsed holds).
     */
    public static ObjectNode historyEntryToJson(HistoryEntry e) {
        ObjectNode node = Json.object();
        node.put("at", e.at().toString());
        node.put("actor", e.actor());
        node.put("version", e.version());
        node.put("decision", e.action());
        node.setAll(JsonValues.node(e.changes()));
        HistoryEntryJson.putCount(e, node);
        return node;
    }
}
