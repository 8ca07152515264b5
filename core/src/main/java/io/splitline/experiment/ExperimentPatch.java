package io.splitline.experiment;

import io.splitline.json.JsonValue;

/**
 * A {@code PATCH /experiments/{key}} body, checked for shape only ({@link ExperimentPatchParser}): the
 * version the client read and the top-level fields it replaces, in their JSON form.
 *
 * @param version the version the client read (the update applies only if it is still current)
 * @param fields  spec fields to replace; a JSON null resets the field to its default
 */
record ExperimentPatch(long version, JsonValue.JsonObject fields) {
}
