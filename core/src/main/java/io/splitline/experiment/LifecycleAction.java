package io.splitline.experiment;

import io.splitline.json.EnumCodec;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The lifecycle moves of an experiment: draft → running ↔ paused → completed, and archived from any
 * other state. Any other move is a conflict.
 */
public enum LifecycleAction {
    START(EnumSet.of(ExperimentStatus.DRAFT), ExperimentStatus.RUNNING),
    PAUSE(EnumSet.of(ExperimentStatus.RUNNING), ExperimentStatus.PAUSED),
    RESUME(EnumSet.of(ExperimentStatus.PAUSED), ExperimentStatus.RUNNING),
    COMPLETE(EnumSet.of(ExperimentStatus.RUNNING, ExperimentStatus.PAUSED), ExperimentStatus.COMPLETED),
    ARCHIVE(EnumSet.of(ExperimentStatus.DRAFT, ExperimentStatus.RUNNING, ExperimentStatus.PAUSED,
            ExperimentStatus.COMPLETED), ExperimentStatus.ARCHIVED);

    private final Set<ExperimentStatus> from;
    private final ExperimentStatus to;

    LifecycleAction(Set<ExperimentStatus> from, ExperimentStatus to) {
        this.from = from;
        this.to = to;
    }

    public boolean allowedFrom(ExperimentStatus status) {
        return from.contains(status);
    }

    public Set<ExperimentStatus> from() {
        return from;
    }

    public ExperimentStatus to() {
        return to;
    }

    public String json() {
        return EnumCodec.name(this);
    }

    public static Optional<LifecycleAction> fromJson(String name) {
        return EnumCodec.parse(LifecycleAction.class, name);
    }
}
