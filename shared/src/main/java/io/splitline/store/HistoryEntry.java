package io.splitline.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import java.time.Instant;
import java.util.Objects;

/**
 * One audit entry of a definition: who changed it, how, and what changed. Written in the same
 * transaction as the version it describes, so the history has exactly one entry per version.
 *
 * @param at      when the change was made
 * @param actor   who made it (the IAM caller's ARN in AWS)
 * @param action  what was done ({@code create}, {@code update}, {@code start}, …)
 * @param version the definition's version after the change
 * @param changes what changed, as JSON (its shape depends on the action)
 */
public record HistoryEntry(Instant at, String actor, String action, long version, JsonNode changes) {
    public HistoryEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(changes, "changes");
        if (version < 1) {
            throw new IllegalArgumentException("versions start at 1, got " + version);
        }
    }

    /** The API form: {@code {"at", "actor", "action", "version", "changes"}}. */
    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("at", at.toString());
        node.put("actor", actor);
        node.put("action", action);
        node.put("version", version);
        node.set("changes", changes);
        return node;
    }
}
