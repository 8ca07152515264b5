package io.splitline.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The top-level fields that differ between two definitions, compared in their API form (so
 * {@code "coverage": 1} and {@code 1.0} are the same value and defaults count as set). Its JSON is the
 * {@code changes} of an {@code update} history entry: {@code {field: {"from": old, "to": new}}}, with
 * null for an absent field.
 */
record SpecDiff(Map<String, Change> changes) {

    /** Spec fields in the order of the API form, so history entries list them predictably. */
    static final List<String> FIELDS = List.of("key", "description", "variants", "control", "coverage", "targeting",
            "overrides", "namespace", "metrics", "confidenceLevel", "minimumSampleSize", "startAt", "endAt",
            "multipleTesting", "expectedUnitsPerVariant", "holdout", "lookbackDays");

    record Change(JsonNode from, JsonNode to) {
    }

    SpecDiff {
        changes = Collections.unmodifiableMap(new LinkedHashMap<>(changes));
    }

    static SpecDiff between(ExperimentSpec from, ExperimentSpec to) {
        ObjectNode a = ExperimentJson.specToJson(from);
        ObjectNode b = ExperimentJson.specToJson(to);
        Map<String, Change> changes = new LinkedHashMap<>();
        for (String field : FIELDS) {
            JsonNode before = a.has(field) ? a.get(field) : NullNode.getInstance();
            JsonNode after = b.has(field) ? b.get(field) : NullNode.getInstance();
            if (!before.equals(after)) {
                changes.put(field, new Change(before, after));
            }
        }
        return new SpecDiff(changes);
    }

    boolean isEmpty() {
        return changes.isEmpty();
    }

    ObjectNode toJson() {
        ObjectNode node = Json.object();
        changes.forEach((field, change) -> {
            ObjectNode c = node.putObject(field);
            c.set("from", change.from());
            c.set("to", change.to());
        });
        return node;
    }
}
