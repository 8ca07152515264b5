package io.splitline.experiment;

import java.util.Locale;
import java.util.Optional;

/** Lifecycle states of an experiment. Only {@link #RUNNING} experiments assign units. */
public enum ExperimentStatus {
    DRAFT, RUNNING, PAUSED, COMPLETED, ARCHIVED;

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ExperimentStatus> fromJson(String name) {
        for (ExperimentStatus s : values()) {
            if (s.json().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
