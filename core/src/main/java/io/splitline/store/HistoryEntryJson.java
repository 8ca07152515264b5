package io.splitline.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import io.splitline.json.JsonValues;

/** The API form of a {@link HistoryEntry} (a rollout's entries have their own, {@code RolloutHistoryJson}). */
public final class HistoryEntryJson {
    private HistoryEntryJson() {
    }

    /**
     * {@code {"at", "actor", "action", "version", "changes"}}, plus {@code "count", "lastSeenAt",
     * "lastVersion"} for a collapsed entry.
     */
    public static ObjectNode toJson(HistoryEntry e) {
        ObjectNode node = Json.object();
        node.put("at", e.at().toString());
        node.put("actor", e.actor());
        node.put("action", e.action());
        node.put("version", e.version());
        node.set("changes", JsonValues.node(e.changes()));
        putCount(e, node);
        return node;
    }

    /** Adds {@code count}, {@code lastSeenAt} and {@code lastVersion} to an API form when collapsed. */
    public static void putCount(HistoryEntry e, ObjectNode node) {
        if (e.collapsed()) {
            node.put("count", e.count());
            node.put("lastSeenAt", e.lastSeenAt().toString());
            node.put("lastVersion", e.lastVersion());
        }
    }
}
