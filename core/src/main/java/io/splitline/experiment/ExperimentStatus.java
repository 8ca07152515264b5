package io.splitline.experiment;

import io.splitline.json.EnumCodec;
import java.util.Optional;

/** Lifecycle states of an experiment. Only {@link #RUNNING} experiments assign units. */
public enum ExperimentStatus {
    DRAFT, RUNNING, PAUSED, COMPLETED, ARCHIVED;

    public String json() {
        return EnumCodec.name(this);
    }

    public static Optional<ExperimentStatus> fromJson(String name) {
        return EnumCodec.parse(ExperimentStatus.class, name);
    }
}
