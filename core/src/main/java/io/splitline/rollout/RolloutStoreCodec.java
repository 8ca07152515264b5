package io.splitline.rollout;

import io.splitline.store.DefinitionKind;
import io.splitline.store.StoredDefinition;
import java.time.Instant;

/**
 * The stored form of rollouts: a {@link Rollout} (definition plus state) to and from the
 * {@link StoredDefinition} the {@code DefinitionStore} keeps, its {@code body} in a schema of its own,
 * versioned by {@link StoredDefinition#schemaVersion()}. Every stored rollout is decoded here and nowhere else.
 * <p>
 * Schema version 1 is the form rollouts were stored in before versions existed, field for field the API
 * form {@link RolloutJson#toJson(Rollout)} wrote at that time, and is written and read through it while the
 * API form is unchanged (see {@code ExperimentStoreCodec} for how a change of the API form is caught).
 */
public final class RolloutStoreCodec {
    /** The schema version {@link #encode} writes; {@link #decode} reads it and every older one. */
    public static final int SCHEMA_VERSION = 1;

    private static final DefinitionKind KIND = DefinitionKind.ROLLOUT;

    private RolloutStoreCodec() {
    }

    /** The stored definition of {@code r}; a draft with a start time is due then (the only rollout the scheduled step finds by time). */
    public static StoredDefinition encode(Rollout r) {
        Instant dueAt = r.status() == RolloutStatus.DRAFT ? r.spec().startAt() : null;
        return new StoredDefinition(KIND, r.key(), r.status().json(), r.version(), r.updatedAt(), RolloutJson.toJson(r),
                dueAt, SCHEMA_VERSION);
    }

    /** The rollout a stored definition holds, whichever schema version it was written in. */
    public static Rollout decode(StoredDefinition stored) {
        return RolloutJson.fromJson(stored.bodyFor(KIND, SCHEMA_VERSION));
    }
}
