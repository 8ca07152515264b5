package io.splitline.holdout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.error.InvalidFieldException;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentLimits;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.LifecycleJson;
import io.splitline.json.Fields;
import io.splitline.json.Json;
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

    private HoldoutJson() {
    }

    /** Parses a definition ({@code POST /holdouts} body), applying the documented defaults. */
    public static HoldoutSpec parseSpec(JsonNode body) {
        Fields f = Fields.root(body).allowOnly(SPEC_FIELDS);
        String key = f.key("key");
        String description = f.optionalString("description", ExperimentLimits.MAX_DESCRIPTION).orElse("");
        double percent = f.number("percent");
        long grains = Math.round(percent * 100); // what is stored: a percent within 1e-6 of a grain is that grain
        if (!(percent > 0 && percent <= MAX_PERCENT) || grains < 1 || Math.abs(percent * 100 - grains) > 1e-6) {
            throw new InvalidFieldException(f.path("percent"), "percent must be greater than 0 and at most " + (int) MAX_PERCENT
                    + ", in steps of 0.01 (the grain of the hash), e.g. 5 or 2.5 (got " + percent + ")");
        }
        String seed = f.optionalString("seed", MAX_SEED).orElse(key);
        if (seed.isEmpty()) {
            throw new InvalidFieldException(f.path("seed"), "seed must be 1-" + MAX_SEED + " characters, or left out (the key)");
        }
        ExperimentSpec statistics = ExperimentJson.parseSpec(statisticsFields(f.node(), key, percent));
        return new HoldoutSpec(key, description, grains / 100.0, seed, statistics.metrics(),
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
        return new LifecycleJson(h.status(), h.version(), h.createdAt(), h.updatedAt(), h.startedAt(), h.completedAt())
                .writeTo(specToJson(h.spec()));
    }

    /** Reads what {@link #toJson(Holdout)} wrote. */
    public static Holdout fromJson(JsonNode stored) {
        LifecycleJson l = LifecycleJson.read(stored);
        return new Holdout(parseSpec(LifecycleJson.definition(stored)), l.status(), l.version(), l.createdAt(),
                l.updatedAt(), l.startedAt(), l.completedAt());
    }
}
