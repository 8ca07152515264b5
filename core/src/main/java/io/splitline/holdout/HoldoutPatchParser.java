package io.splitline.holdout;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.error.InvalidFieldException;
import io.splitline.error.VersionConflictException;
import io.splitline.json.Fields;
import io.splitline.json.JsonValue;
import io.splitline.json.JsonValues;
import java.util.Set;

/**
 * Applies a {@code PATCH /holdouts/{key}} body {@code {"version": n, ...fields}} to a holdout: the named
 * fields replace the current ones (null removes an optional one), and the result is validated as a whole
 * by {@link HoldoutJson#parseSpec}.
 */
final class HoldoutPatchParser {
    /** What a PATCH may carry: the version read and definition fields. */
    private static final Set<String> PATCH_FIELDS = Set.of("version", "key", "description", "percent", "seed",
            "metrics", "confidenceLevel", "minimumSampleSize");

    private HoldoutPatchParser() {
    }

    /** The definition {@code body} makes of {@code current}; refused when it was based on another version. */
    static HoldoutSpec applyTo(JsonValue body, String key, Holdout current) {
        Fields f = Fields.root(JsonValues.node(body));
        if (f.node().has("status")) {
            throw new InvalidFieldException("status", "status cannot be patched: use POST /holdouts/" + key
                    + "/start, /pause, /resume, /complete or /archive");
        }
        f.allowOnly(PATCH_FIELDS);
        long version = f.integer("version");
        if (f.node().has("key") && !key.equals(f.node().get("key").asText())) {
            throw new InvalidFieldException("key", "key cannot change: create a new holdout instead");
        }
        if (current.version() != version) {
            throw new VersionConflictException("holdout '" + key + "' is at version " + current.version() + ", not " + version
                    + ": read it again and retry", "version");
        }
        ObjectNode merged = HoldoutJson.specToJson(current.spec());
        f.node().properties().forEach(field -> {
            if (!field.getKey().equals("version")) {
                if (field.getValue().isNull()) {
                    merged.remove(field.getKey());
                } else {
                    merged.set(field.getKey(), field.getValue().deepCopy());
                }
            }
        });
        return HoldoutJson.parseSpec(merged);
    }
}
