package io.splitline.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.error.InvalidFieldException;
import io.splitline.json.Fields;
import io.splitline.json.JsonValue;
import io.splitline.json.JsonValues;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@code PATCH /experiments/{key}} body into an {@link ExperimentPatch}, checked for shape only, and
 * applies one to a definition. Whether the result is a valid experiment is decided by
 * {@link ExperimentJson#parseSpec} on the merged definition, so every rule lives in one place.
 */
final class ExperimentPatchParser {

    /** Stored fields the server owns; the message tells the client what to do instead. */
    private static final List<String> READ_ONLY = List.of("createdAt", "updatedAt", "startedAt", "completedAt");

    private static final Set<String> ALLOWED;

    static {
        Set<String> allowed = new HashSet<>(ExperimentParser.SPEC_FIELDS);
        allowed.add("version");
        ALLOWED = Set.copyOf(allowed);
    }

    private ExperimentPatchParser() {
    }

    static ExperimentPatch parse(JsonValue body, String key) {
        Fields f = Fields.root(JsonValues.node(body));
        if (f.node().has("status")) {
            throw new InvalidFieldException("status", "status cannot be patched: use POST /experiments/" + key
                    + "/start, /pause, /resume, /complete or /archive");
        }
        for (String name : READ_ONLY) {
            if (f.node().has(name)) {
                throw new InvalidFieldException(name, name + " is set by the server and cannot be patched");
            }
        }
        f.allowOnly(ALLOWED);
        long version = f.integer("version");
        if (version < 1) {
            throw new InvalidFieldException("version", "version must be at least 1");
        }
        if (f.node().has("key")) {
            JsonNode sent = f.raw("key");
            if (!sent.isTextual() || !sent.textValue().equals(key)) {
                throw new InvalidFieldException("key", "key cannot change: it salts the assignment hash; create a new experiment instead");
            }
        }
        ObjectNode fields = f.node().deepCopy();
        fields.remove("version");
        fields.remove("key");
        return new ExperimentPatch(version, JsonValues.of(fields));
    }

    /** The definition with the patch's fields replaced, validated like a new one. */
    static ExperimentSpec applyTo(ExperimentPatch patch, ExperimentSpec current) {
        ObjectNode merged = ExperimentJson.specToJson(current);
        for (Map.Entry<String, JsonNode> field : JsonValues.node(patch.fields()).properties()) {
            if (field.getValue().isNull()) {
                merged.remove(field.getKey());
            } else {
                merged.set(field.getKey(), field.getValue().deepCopy());
            }
        }
        return ExperimentJson.parseSpec(merged);
    }
}
