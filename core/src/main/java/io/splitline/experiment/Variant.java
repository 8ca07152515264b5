package io.splitline.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One arm of an experiment.
 *
 * @param key    variant key, unique within the experiment
 * @param weight share of covered units that get this variant, in [0, 1]; weights sum to 1
 * @param config free-form JSON object handed to the app with the assignment, or null
 */
public record Variant(String key, double weight, ObjectNode config) {
}
