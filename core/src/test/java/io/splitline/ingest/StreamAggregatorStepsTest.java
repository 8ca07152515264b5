package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.metrics.MetricDatum;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The stream fold's bounded aggregate updates and its guardrail metrics: one unit's many distinct quantile
 * values in one batch are applied in marker steps of at most {@link StreamFoldStore#MAX_BINS_PER_UPDATE} counters, a
 * crash between two steps is finished by the retry exactly, and guardrail values are emitted for counted
 * records only, once.
 */
class StreamAggregatorStepsTest {
    private static final String SHARD = StreamAggregatorTest.SHARDS.get(0);
    private static final IngestTarget LATENCY = new IngestTarget("exp-q", IngestTarget.EXPERIMENT_SCOPE, true,
            unit -> Optional.of("control"), Set.of("latency"), DerivedSums.NONE, Set.of("latency"), Set.of());
    private static final IngestTargets TARGETS = key -> key.equals("exp-q") ? Optional.of(LATENCY) : Optional.empty();

    /** An exposure, then 150 latency values in 150 distinct sketch bins, of one unit; then one of a unit never exposed. */
    private static List<StreamRecord> batch() {
        List<StreamRecord> records = new ArrayList<>();
        BigInteger s = StreamAggregatorTest.FIRST_SEQUENCE;
        records.add(new StreamRecord(s, StreamAggregatorTest.exposure("x", "exp-q", "heavy", StreamAggregatorTest.T0, Map.of())));
        for (int i = 1; i <= 150; i++) {
            BigDecimal value = BigDecimal.valueOf(1.05).pow(i).setScale(6, RoundingMode.HALF_UP);
            records.add(new StreamRecord(s.add(BigInteger.valueOf(i)),
                    StreamAggregatorTest.metric("l" + i, "exp-q", "heavy", "latency", value, StreamAggregatorTest.T0)));
        }
        records.add(new StreamRecord(s.add(BigInteger.valueOf(151)),
                StreamAggregatorTest.metric("stray", "exp-q", "never-exposed", "latency", BigDecimal.TEN, StreamAggregatorTest.T0)));
        return records;
    }

    /** Records the most counters any aggregate update carried. */
    private static final class Watched extends CrashingStreamFoldStore {
        int maxBins;

        Watched(StreamFoldStore store) {
            super(store);
        }

        @Override
        public boolean addIfMarker(AggregateItem item, String streamShard, BigInteger expected, BigInteger marker,
                                   AggregateDelta delta) {
            synchronized (this) { // the aggregator's writes come from several threads
                maxBins = Math.max(maxBins, delta.bins().size());
            }
            return super.addIfMarker(item, streamShard, expected, marker, delta);
        }
    }

    @Test
    void manyDistinctBinsInOneBatch_areAppliedInBoundedSteps_andACrashBetweenStepsIsFinishedExactly() {
        InMemoryStreamFoldStore whole = new InMemoryStreamFoldStore();
        new StreamAggregator(whole, TARGETS).apply(SHARD, batch());
        InMemoryStreamFoldStore crashed = new InMemoryStreamFoldStore();
        Watched watched = new Watched(crashed);
        StreamAggregator aggregator = new StreamAggregator(watched, TARGETS);

        // the unit, the decided point, then two of the aggregate writes in flight together: the units item and the
        // latency item's first step, or that item's first two steps (its steps go one after another)
        watched.crashAfter(1 + 1 + 2);
        assertThrows(CrashingStreamFoldStore.Crash.class, () -> aggregator.apply(SHARD, batch()));
        int afterCrash = crashed.aggregates.values().stream().mapToInt(d -> d.bins().size()).sum();
        watched.crashAfter(-1);
        aggregator.apply(SHARD, batch());

        assertTrue(afterCrash > 0 && afterCrash < 150, "the crash fell between two steps: " + afterCrash);
        assertTrue(watched.maxBins <= StreamFoldStore.MAX_BINS_PER_UPDATE && watched.maxBins > StreamFoldStore.MAX_BINS_PER_UPDATE / 2,
                "the bound was reached, not passed: " + watched.maxBins);
        assertEquals(whole.aggregates, crashed.aggregates, "the retry added exactly the steps the crash left out");
        assertEquals(150, whole.aggregates.values().stream().mapToLong(d -> d.bins().values().stream().mapToLong(Long::longValue).sum()).sum(),
                "every value in its bin once");
    }

    @Test
    void guardrailValues_areEmittedForCountedRecordsOnly_andNotAgainWhenTheBatchIsDeliveredAgain() {
        List<MetricDatum> emitted = new ArrayList<>();
        StreamAggregator aggregator = new StreamAggregator(new InMemoryStreamFoldStore(), UnitHistoryStore.NONE, TARGETS, emitted::add,
                Clock.fixed(StreamAggregatorTest.T0, ZoneOffset.UTC));

        aggregator.apply(SHARD, batch());
        aggregator.apply(SHARD, batch()); // re-delivered after a timeout

        assertEquals(150, emitted.stream().mapToInt(d -> d.values().size()).sum(), "the never-exposed unit's value is not emitted");
        assertTrue(emitted.stream().allMatch(d -> d.name().equals("latency") && d.dimensions().equals(Map.of("Experiment", "exp-q",
                "Variant", "control")) && d.values().size() <= MetricDatum.MAX_VALUES), emitted.toString());
    }
}
