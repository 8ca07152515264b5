package io.splitline.experiment;

import io.splitline.json.JsonValue;

/**
 * One arm of an experiment.
 *
 * @param key    variant key, unique within the experiment
 * @param weight share of covered units that get this variant, in [0, 1]; weights sum to 1
 * @param config free-form JSON object handed to the app with the assignment, or null; immutable, as the
 *               domain never reads it (see {@link JsonValue})
 */
public record Variant(String key, double weight, JsonValue.JsonObject config) {
}
