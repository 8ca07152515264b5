package io.splitline.experiment;

import io.splitline.json.JsonValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The top-level fields that differ between two definitions, compared in their API form (so
 * {@code "coverage": 1} and {@code 1.0} are the same value and defaults count as set). Its JSON
 * ({@link ExperimentHistoryJson#updated}) is the {@code changes} of an {@code update} history entry:
 * {@code {field: {"from": old, "to": new}}}, with null for an absent field.
 */
record SpecDiff(Map<String, Change> changes) {

    /** Spec fields in the order of the API form, so history entries list them predictably. */
    static final List<String> FIELDS = List.of("key", "description", "variants", "control", "coverage", "targeting",
            "overrides", "namespace", "metrics", "confidenceLevel", "minimumSampleSize", "startAt", "endAt",
            "multipleTesting", "expectedUnitsPerVariant", "holdout", "dimensions", "lookbackDays", "aggregateShards");

    record Change(JsonValue from, JsonValue to) {
    }

    SpecDiff {
        changes = Collections.unmodifiableMap(new LinkedHashMap<>(changes));
    }

    static SpecDiff between(ExperimentSpec from, ExperimentSpec to) {
        Map<String, JsonValue> a = ExperimentHistoryJson.spec(from).fields();
        Map<String, JsonValue> b = ExperimentHistoryJson.spec(to).fields();
        Map<String, Change> changes = new LinkedHashMap<>();
        for (String field : FIELDS) {
            JsonValue before = a.getOrDefault(field, JsonValue.JsonNull.NULL);
            JsonValue after = b.getOrDefault(field, JsonValue.JsonNull.NULL);
            if (!before.equals(after)) {
                changes.put(field, new Change(before, after));
            }
        }
        return new SpecDiff(changes);
    }

    boolean isEmpty() {
        return changes.isEmpty();
    }
}
