package io.splitline.holdout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.error.InvalidFieldException;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.json.Fields;
import io.splitline.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** The API form of holdouts: parsing with every rule of the contract, and the stored and answered form. */
public final class HoldoutJson {
    public static final double MAX_PERCENT = 50;
    public static final int MAX_SEED = 64;

    /** The fields a client may send when creating a holdout. */
    public static final Set<String> SPEC_FIELDS = Set.of("key", "description", "percent", "seed", "metrics",
            "confidenceLevel", "minimumSampleSize");
    /** Spec fields in the order of the API form (history entries list changes in this order). */
    static final List<String> FIELDS = List.of("key", "description", "percent", "seed", "metrics", "confidenceLevel",
            "minimumSampleSize");
    private static final List<String> LIFECYCLE_FIELDS = List.of("status", "version", "createdAt", "updatedAt",
            "startedAt", "completedAt");

    private HoldoutJson() {
    }

    /** Parses a definition ({@code POST /holdouts} body), applying the documented defaults. */
    public static HoldoutSpec parseSpec(JsonNode body) {
        Fields f = Fields.root(body).allowOnly(SPEC_FIELDS);
        String key = f.key("key");
        String description = f.optionalString("description", ExperimentJson.MAX_DESCRIPTION).orElse("");
        double percent = f.number("percent");
        if (!(percent > 0 && percent <= MAX_PERCENT) || Math.abs(percent * 100 - Math.round(percent * 100)) > 1e-6) {
            throw new InvalidFieldException(f.path("percent"), "percent must be greater than 0 and at most " + (int) MAX_PERCENT
                    + ", in steps of 0.01 (the grain of the hash), e.g. 5 or 2.5 (got " + percent + ")");
        }
        String seed = f.optionalString("seed", MAX_SEED).orElse(key);
        if (seed.isEmpty()) {
            throw new InvalidFieldException(f.path("seed"), "seed must be 1-" + MAX_SEED + " characters, or left out (the key)");
        }
        ExperimentSpec statistics = ExperimentJson.parseSpec(statisticsFields(f.node(), key, percent));
        return new HoldoutSpec(key, description, Math.round(percent * 100) / 100.0, seed, statistics.metrics(),
                statistics.confidenceLevel(), statistics.minimumSampleSize());
    }

    /**
     * The metric and statistics fields validated by the experiments' own rules (so errors name the same
     * paths, {@code metrics[0].type}), inside a two-arm definition built around them.
     */
    private static ObjectNode statisticsFields(ObjectNode body, String key, double percent) {
        ObjectNode experiment = Json.object();
        experiment.put("key", key);
        double share = percent / 100;
        experiment.putArray("variants")
                .add(Json.object().put("key", HoldoutSpec.HOLDOUT).put("weight", share))
                .add(Json.object().put("key", HoldoutSpec.GENERAL).put("weight", 1 - share));
        for (String field : List.of("metrics", "confidenceLevel", "minimumSampleSize")) {
            if (body.has(field)) {
                experiment.set(field, body.get(field));
            }
        }
        return experiment;
    }

    /** The definition in API form, defaults made explicit. */
    public static ObjectNode specToJson(HoldoutSpec spec) {
        ObjectNode node = Json.object();
        node.put("key", spec.key());
        node.put("description", spec.description());
        node.put("percent", spec.percent());
        node.put("seed", spec.seed());
        node.set("metrics", ExperimentJson.specToJson(spec.comparison()).get("metrics"));
        node.put("confidenceLevel", spec.confidenceLevel());
        node.put("minimumSampleSize", spec.minimumSampleSize());
        return node;
    }

    /** The stored form returned by every holdout route. */
    public static ObjectNode toJson(Holdout h) {
        ObjectNode node = specToJson(h.spec());
        node.put("status", h.status().json());
        node.put("version", h.version());
        node.put("createdAt", h.createdAt().toString());
        node.put("updatedAt", h.updatedAt().toString());
        node.put("startedAt", h.startedAt() == null ? null : h.startedAt().toString());
        node.put("completedAt", h.completedAt() == null ? null : h.completedAt().toString());
        return node;
    }

    /** Reads what {@link #toJson(Holdout)} wrote. */
    public static Holdout fromJson(JsonNode stored) {
        ObjectNode spec = stored.deepCopy();
        LIFECYCLE_FIELDS.forEach(spec::remove);
        return new Holdout(parseSpec(spec),
                ExperimentStatus.fromJson(stored.get("status").textValue()).orElseThrow(),
                stored.get("version").longValue(),
                Instant.parse(stored.get("createdAt").textValue()),
                Instant.parse(stored.get("updatedAt").textValue()),
                instant(stored.get("startedAt")),
                instant(stored.get("completedAt")));
    }

    private static Instant instant(JsonNode node) {
        return node == null || node.isNull() ? null : Instant.parse(node.textValue());
    }
}
