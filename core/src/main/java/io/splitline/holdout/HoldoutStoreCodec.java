package io.splitline.holdout;

import io.splitline.store.DefinitionKind;
import io.splitline.store.StoredDefinition;

/**
 * The stored form of holdouts: a {@link Holdout} to and from the {@link StoredDefinition} the
 * {@code DefinitionStore} keeps, its {@code body} in a schema of its own, versioned by
 * {@link StoredDefinition#schemaVersion()}. Every stored holdout is decoded here and nowhere else.
 * <p>
 * Schema version 1 is the form holdouts were stored in before versions existed, field for field the API
 * form {@link HoldoutJson#toJson(Holdout)} wrote at that time, and is written and read through it while the
 * API form is unchanged (see {@code ExperimentStoreCodec} for how a change of the API form is caught).
 */
public final class HoldoutStoreCodec {
    /** The schema version {@link #encode} writes; {@link #decode} reads it and every older one. */
    public static final int SCHEMA_VERSION = 1;

    private static final DefinitionKind KIND = DefinitionKind.HOLDOUT;

    private HoldoutStoreCodec() {
    }

    /** The stored definition of {@code h} (a holdout has nothing scheduled). */
    public static StoredDefinition encode(Holdout h) {
        return new StoredDefinition(KIND, h.key(), h.status().json(), h.version(), h.updatedAt(), HoldoutJson.toJson(h),
                null, SCHEMA_VERSION);
    }

    /** The holdout a stored definition holds, whichever schema version it was written in. */
    public static Holdout decode(StoredDefinition stored) {
        return HoldoutJson.fromJson(stored.bodyFor(KIND, SCHEMA_VERSION));
    }
}
