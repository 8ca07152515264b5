package io.splitline.results;

import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.results.ExperimentResults.SegmentResult;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The last results computed for each experiment, reused while their inputs are unchanged. The statistics are a
 * pure function of the definition, the status and the aggregates ({@link ResultsCalculator}), so equal inputs
 * give the same numbers, bit for bit; only {@code computedAt} is stamped anew. Any event counted since changes
 * an aggregate and so recomputes, and so does any change of the definition or status: nothing is served stale.
 *
 * <p>The whole experiment's statistics and the segments' are remembered apart, each keyed by its own inputs: the
 * segments' depend on the definition and the segment aggregates only, and those change once per roll-up
 * ({@link SegmentFigures}), so a call after new events recomputes the whole experiment's statistics (a few
 * milliseconds) and reuses the segments' (46 segments' statistics took 175–316 ms under load: BENCHMARKS.md,
 * "Results with CUPED and 3 dimensions").
 * It also saves everything on repeated views of an experiment that took no event in between: a dashboard
 * refreshing, a paused or completed experiment, several viewers. Bounded: the {@link #CAPACITY} experiments
 * computed last, in each of the two. The segments' results it hands out again are the same objects, which is what lets
 * the results function reuse their JSON text ({@link SegmentsJson}).
 */
final class ResultsMemo {
    /** Experiments remembered; beyond it the least recently computed or served is dropped. */
    static final int CAPACITY = 64;

    private record WholeInputs(ExperimentSpec spec, ExperimentStatus status, List<VariantAggregates> data) {
    }

    private record SegmentInputs(ExperimentSpec spec, List<SegmentAggregates> segments) {
    }

    private final Bounded<WholeInputs, ExperimentResults> whole = new Bounded<>();
    private final Bounded<SegmentInputs, List<SegmentResult>> segments = new Bounded<>();

    /** {@link ResultsCalculator#compute(ExperimentSpec, ExperimentStatus, List, List, Instant)}, or its last answer for equal inputs. */
    ExperimentResults compute(ExperimentSpec spec, ExperimentStatus status, List<VariantAggregates> data,
                              List<SegmentAggregates> segmentData, Instant now) {
        return compute(spec, status, data, segmentData, now, now);
    }

    /** As {@link #compute(ExperimentSpec, ExperimentStatus, List, List, Instant)}, the segment aggregates read at {@code segmentsReadAt}. */
    ExperimentResults compute(ExperimentSpec spec, ExperimentStatus status, List<VariantAggregates> data,
                              List<SegmentAggregates> segmentData, Instant segmentsReadAt, Instant now) {
        WholeInputs wholeInputs = new WholeInputs(spec, status, List.copyOf(data));
        ExperimentResults results = whole.get(spec.key(), wholeInputs,
                () -> ResultsCalculator.compute(spec, status, wholeInputs.data(), now));
        SegmentInputs segmentInputs = new SegmentInputs(spec, List.copyOf(segmentData));
        List<SegmentResult> segmentResults = segmentData.isEmpty() ? List.of()
                : segments.get(spec.key(), segmentInputs, () -> ResultsCalculator.segments(spec, segmentInputs.segments()));
        return results.computedAt(now).withSegments(segmentResults, segmentsReadAt);
    }

    /** The last value computed per experiment key with its inputs, the {@link #CAPACITY} keys used last. */
    private static final class Bounded<I, V> {
        private record Entry<I, V>(I inputs, V value) {
        }

        private final Map<String, Entry<I, V>> byKey = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry<I, V>> eldest) {
                return size() > CAPACITY;
            }
        };

        V get(String key, I inputs, Supplier<V> compute) {
            Entry<I, V> last;
            synchronized (byKey) {
                last = byKey.get(key);
            }
            if (last != null && last.inputs().equals(inputs)) {
                return last.value();
            }
            V computed = compute.get();
            synchronized (byKey) {
                byKey.put(key, new Entry<>(inputs, computed));
            }
            return computed;
        }
    }
}
