package io.splitline.rollout.traffic;

import java.util.List;

/** The adapters of every target type, each target served by the first that handles it. */
public final class TrafficControls implements TrafficControl {
    private final List<TrafficControl> adapters;

    public TrafficControls(List<TrafficControl> adapters) {
        this.adapters = List.copyOf(adapters);
    }

    @Override
    public boolean handles(RolloutTarget target) {
        return adapters.stream().anyMatch(a -> a.handles(target));
    }

    @Override
    public TrafficReading read(RolloutTarget target) {
        return adapter(target).read(target);
    }

    @Override
    public void shift(RolloutTarget target, TrafficReading reading, double treatmentShare) {
        adapter(target).shift(target, reading, treatmentShare);
    }

    private TrafficControl adapter(RolloutTarget target) {
        return adapters.stream().filter(a -> a.handles(target)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no adapter drives " + target.type() + " targets"));
    }
}
