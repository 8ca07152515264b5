package io.splitline.results;

import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last results computed for each experiment, reused while their inputs are unchanged. The statistics are a
 * pure function of the definition, the status and the aggregates ({@link ResultsCalculator}), so equal inputs
 * give the same numbers, bit for bit; only {@code computedAt} is stamped anew. Any event counted since changes
 * an aggregate and so recomputes, and so does any change of the definition or status: nothing is served stale.
 * It saves the statistics (the Bayesian quadrature of small arms, once per segment too) on repeated views of an
 * experiment that took no event in between: a dashboard refreshing, a paused or completed experiment, several
 * viewers. Bounded: the {@link #CAPACITY} experiments computed last.
 */
final class ResultsMemo {
    /** Experiments remembered; beyond it the least recently computed or served is dropped. */
    static final int CAPACITY = 64;

    private record Inputs(ExperimentSpec spec, ExperimentStatus status, List<VariantAggregates> data,
                          List<SegmentAggregates> segments) {
    }

    private record Entry(Inputs inputs, ExperimentResults results) {
    }

    private final Map<String, Entry> byKey = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > CAPACITY;
        }
    };

    /** {@link ResultsCalculator#compute(ExperimentSpec, ExperimentStatus, List, List, Instant)}, or its last answer for equal inputs. */
    ExperimentResults compute(ExperimentSpec spec, ExperimentStatus status, List<VariantAggregates> data,
                              List<SegmentAggregates> segments, Instant now) {
        Inputs inputs = new Inputs(spec, status, List.copyOf(data), List.copyOf(segments));
        Entry last;
        synchronized (byKey) {
            last = byKey.get(spec.key());
        }
        if (last != null && last.inputs().equals(inputs)) {
            return last.results().computedAt(now);
        }
        ExperimentResults computed = ResultsCalculator.compute(spec, status, inputs.data(), inputs.segments(), now);
        synchronized (byKey) {
            byKey.put(spec.key(), new Entry(inputs, computed));
        }
        return computed;
    }
}
