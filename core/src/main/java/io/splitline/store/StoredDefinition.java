package io.splitline.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One definition as the store keeps it. The store does not interpret {@code body} (the stored JSON form
 * of the experiment or rollout); {@code status} and {@code version} are copied out of it into their own
 * attributes so that conditions and indexes can use them.
 *
 * @param kind      experiment or rollout
 * @param key       the definition's key, unique within its kind
 * @param status    lifecycle state as written in the API ({@code running})
 * @param version   1 on creation, +1 on every change
 * @param updatedAt when this version was written
 * @param body      the stored JSON form
 * @param dueAt     when the scheduled step has something to do with it (start or end it), or null: only
 *                  definitions with one enter the {@code by-due} index
 */
public record StoredDefinition(DefinitionKind kind, String key, String status, long version, Instant updatedAt,
                               JsonNode body, Instant dueAt) {
    public StoredDefinition {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(body, "body");
        if (version < 1) {
            throw new IllegalArgumentException("versions start at 1, got " + version);
        }
    }

    /** A definition with nothing scheduled. */
    public StoredDefinition(DefinitionKind kind, String key, String status, long version, Instant updatedAt,
                            JsonNode body) {
        this(kind, key, status, version, updatedAt, body, null);
    }
}
