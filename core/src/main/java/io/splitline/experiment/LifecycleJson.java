package io.splitline.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * The lifecycle fields experiments and holdouts add to their definition in the API form ({@code status},
 * {@code version}, {@code createdAt}, {@code updatedAt}, {@code startedAt}, {@code completedAt}): written
 * after the definition's fields, and split off again when a stored form is read.
 *
 * @param status      draft, running, ...
 * @param version     1 on creation, +1 on every change
 * @param createdAt   when version 1 was written
 * @param updatedAt   when this version was written
 * @param startedAt   when it first started, or null
 * @param completedAt when it completed, or null
 */
public record LifecycleJson(ExperimentStatus status, long version, Instant createdAt, Instant updatedAt, Instant startedAt,
                            Instant completedAt) {
    /** The lifecycle fields, in the order they are written. */
    public static final List<String> FIELDS = List.of("status", "version", "createdAt", "updatedAt", "startedAt",
            "completedAt");

    /** Appends the lifecycle fields to {@code node} (the definition's API form); the unset times as null. */
    public ObjectNode writeTo(ObjectNode node) {
        node.put("status", status.json());
        node.put("version", version);
        node.put("createdAt", createdAt.toString());
        node.put("updatedAt", updatedAt.toString());
        node.put("startedAt", startedAt == null ? null : startedAt.toString());
        node.put("completedAt", completedAt == null ? null : completedAt.toString());
        return node;
    }

    /** The lifecycle fields of a stored form that {@link #writeTo} wrote. */
    public static LifecycleJson read(JsonNode stored) {
        return new LifecycleJson(ExperimentStatus.fromJson(stored.get("status").textValue()).orElseThrow(),
                stored.get("version").longValue(),
                Instant.parse(stored.get("createdAt").textValue()),
                Instant.parse(stored.get("updatedAt").textValue()),
                instant(stored.get("startedAt")),
                instant(stored.get("completedAt")));
    }

    /** A copy of a stored form without its lifecycle fields: the definition, to be parsed by the contract's rules. */
    public static ObjectNode definition(JsonNode stored) {
        ObjectNode spec = stored.deepCopy();
        FIELDS.forEach(spec::remove);
        return spec;
    }

    private static Instant instant(JsonNode node) {
        return node == null || node.isNull() ? null : Instant.parse(node.textValue());
    }
}
