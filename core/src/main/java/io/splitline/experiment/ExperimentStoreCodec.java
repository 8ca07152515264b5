package io.splitline.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.store.DefinitionKind;
import io.splitline.store.StoredDefinition;
import java.time.Instant;

/**
 * The stored form of experiments: an {@link Experiment} to and from the {@link StoredDefinition} the
 * {@code DefinitionStore} keeps, its {@code body} in a schema of its own, versioned by
 * {@link StoredDefinition#schemaVersion()}. Every stored experiment is decoded here and nowhere else.
 * <p>
 * Schema version 1 is the form experiments were stored in before versions existed, which is field for
 * field the API form {@link ExperimentJson#toJson(Experiment)} wrote at that time; while the API form is
 * unchanged it is written and read through {@link ExperimentJson}. A change of the API form must not change
 * stored items silently: the store codec tests decode and re-encode items exactly as the unversioned code
 * wrote them, so such a change fails them until this class either keeps writing version 1 or writes a
 * version 2 and keeps a reader for version 1.
 * <p>
 * Schema version 2 added {@code aggregateShards}, always written. A version 1 (or unversioned) item has none: its
 * experiment's sums were spread over {@link ExperimentLimits#LEGACY_AGGREGATE_SHARDS} partitions, so it reads as
 * that count, not as the API form's default (which would hide three quarters of its sums from results).
 */
public final class ExperimentStoreCodec {
    /** The schema version {@link #encode} writes; {@link #decode} reads it and every older one. */
    public static final int SCHEMA_VERSION = 2;

    private static final DefinitionKind KIND = DefinitionKind.EXPERIMENT;

    private ExperimentStoreCodec() {
    }

    /** The stored definition of {@code e}, due when the scheduled step has something to do with it. */
    public static StoredDefinition encode(Experiment e) {
        return new StoredDefinition(KIND, e.key(), e.status().json(), e.version(), e.updatedAt(), ExperimentJson.toJson(e),
                dueAt(e), SCHEMA_VERSION);
    }

    /** The experiment a stored definition holds, whichever schema version it was written in. */
    public static Experiment decode(StoredDefinition stored) {
        JsonNode body = stored.bodyFor(KIND, SCHEMA_VERSION);
        if (stored.schemaVersion() < 2) {
            ObjectNode legacy = ((ObjectNode) body).deepCopy();
            legacy.put("aggregateShards", ExperimentLimits.LEGACY_AGGREGATE_SHARDS);
            body = legacy;
        }
        return ExperimentJson.fromJson(body);
    }

    /**
     * When the scheduled step has something to do with {@code e}: its {@code startAt} while a draft, its
     * {@code endAt} while running or paused; null otherwise (it then leaves the {@code by-due} index).
     */
    static Instant dueAt(Experiment e) {
        return switch (e.status()) {
            case DRAFT -> e.spec().startAt();
            case RUNNING, PAUSED -> e.spec().endAt();
            case COMPLETED, ARCHIVED -> null;
        };
    }
}
