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
 * @param schemaVersion the version of the schema {@code body} is written in (each kind's store codec, e.g.
 *                  {@code ExperimentStoreCodec}, owns its schema); items written before versions existed
 *                  read as {@link #UNVERSIONED}
 */
public record StoredDefinition(DefinitionKind kind, String key, String status, long version, Instant updatedAt,
                               JsonNode body, Instant dueAt, int schemaVersion) {
    /** The schema version of a body stored without one: the form every kind had before schemas were versioned. */
    public static final int UNVERSIONED = 1;

    public StoredDefinition {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(body, "body");
        if (version < 1) {
            throw new IllegalArgumentException("versions start at 1, got " + version);
        }
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schema versions start at 1, got " + schemaVersion);
        }
    }

    /** A definition whose body is in schema version 1. */
    public StoredDefinition(DefinitionKind kind, String key, String status, long version, Instant updatedAt,
                            JsonNode body, Instant dueAt) {
        this(kind, key, status, version, updatedAt, body, dueAt, UNVERSIONED);
    }

    /** A definition with nothing scheduled. */
    public StoredDefinition(DefinitionKind kind, String key, String status, long version, Instant updatedAt,
                            JsonNode body) {
        this(kind, key, status, version, updatedAt, body, null);
    }

    /**
     * This definition's body, for the store codec of {@code expected} (which reads schema versions 1 to
     * {@code newest}); refuses a definition of another kind or of a schema written by newer code, rather than
     * misread it.
     */
    public JsonNode bodyFor(DefinitionKind expected, int newest) {
        if (kind != expected) {
            throw new IllegalArgumentException(kind.label() + " '" + key + "' is not " + expected.label());
        }
        if (schemaVersion > newest) {
            throw new IllegalStateException(kind.label() + " '" + key + "' is stored in schema version " + schemaVersion
                    + ", which this code cannot read (it reads 1 to " + newest + "): it was written by a newer Splitline");
        }
        return body;
    }
}
