package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.aggregate.AggregateTable;
import io.splitline.aggregate.Shards;
import io.splitline.rollout.MutableClock;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Markers of retired stream shards leave the aggregate items, and decided points expire, without a record
 * counting twice or being lost: on the fold's twin, with the clock moved past {@link MarkerPruning#RETIRE_AFTER}
 * between a closed shard's last batch and its successor's (which DynamoDB hashes to the same aggregate shard).
 */
class MarkerPruningTest {
    static final Instant T0 = StreamAggregatorTest.T0;

    @Test
    void theRule_retiresMarkersWrittenBeforeTheCutoffOnly() {
        Instant now = Instant.parse("2026-11-30T12:00:00Z");
        Map<String, Instant> writtenAt = Map.of("old", now.minus(Duration.ofHours(48)).minusSeconds(1),
                "edge", now.minus(Duration.ofHours(48)), "young", now.minus(Duration.ofHours(47)));

        assertEquals(Set.of("old"), MarkerPruning.retired(writtenAt, now));
        assertEquals(now.plus(Duration.ofHours(48)).getEpochSecond(), MarkerPruning.decidedExpiresAt(now));
    }

    /** Two stream shard ids whose records land on the same aggregate shard. */
    static List<String> twoShardsOnOneAggregateShard() {
        String first = "shardId-00000001764000000000-00000000";
        for (int i = 1; ; i++) {
            String next = String.format("shardId-00000001764%09d-%08d", i, i);
            if (Shards.of(next) == Shards.of(first)) {
                return List.of(first, next);
            }
        }
    }

    static List<StreamRecord> records(long firstSequence, List<IngestEvent> events) {
        List<StreamRecord> records = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            records.add(new StreamRecord(BigInteger.valueOf(firstSequence + i), events.get(i)));
        }
        return records;
    }

    @Test
    void aRetiredShardsMarkers_goWithTheNextIncrement_andEveryRecordStillCountsOnce() {
        List<String> shards = twoShardsOnOneAggregateShard();
        String closed = shards.get(0);
        String child = shards.get(1);
        MutableClock clock = new MutableClock(T0);
        InMemoryStreamFoldStore store = new InMemoryStreamFoldStore(clock);
        StreamAggregator aggregator = new StreamAggregator(store, StreamAggregatorTest.TARGETS);
        String u1 = StreamAggregatorTest.unitIn("treatment", 0);
        String u2 = StreamAggregatorTest.unitIn("treatment", 1);
        AggregateItem revenue = new AggregateItem(
                AggregateTable.pk("exp-a", IngestTarget.EXPERIMENT_SCOPE, Shards.of(closed)), AggregateTable.metricSk("treatment", "revenue"));

        aggregator.apply(closed, records(100, List.of(
                StreamAggregatorTest.exposure("x1", "exp-a", u1, T0, Map.of()),
                StreamAggregatorTest.metric("m1", "exp-a", u1, "revenue", new BigDecimal("5"), T0.plusSeconds(1)))));
        clock.advance(Duration.ofHours(47));
        aggregator.apply(child, records(1000, List.of(
                StreamAggregatorTest.exposure("x2", "exp-a", u2, T0, Map.of()),
                StreamAggregatorTest.metric("m2", "exp-a", u2, "revenue", new BigDecimal("7"), T0.plusSeconds(1)))));
        assertEquals(Set.of(closed, child), store.markerShards(revenue), "47 h: the closed shard's marker is kept");

        clock.advance(Duration.ofHours(2)); // 49 h after the closed shard's last write, 2 h after the child's
        aggregator.apply(child, records(1002, List.of(
                StreamAggregatorTest.metric("m3", "exp-a", u2, "revenue", new BigDecimal("11"), T0.plusSeconds(2)))));
        assertEquals(Set.of(child), store.markerShards(revenue), "49 h: pruned by the child's increment");

        store.expireDecided();
        assertNull(store.decidedThrough(closed), "the closed shard's decided point expired");
        assertEquals(BigInteger.valueOf(1002), store.decidedThrough(child), "the child's was moved 0 h ago");

        // A shard that was only idle (not closed) folds new records after its markers went: each counts once.
        aggregator.apply(closed, records(102, List.of(
                StreamAggregatorTest.metric("m4", "exp-a", u1, "revenue", new BigDecimal("13"), T0.plusSeconds(3)))));
        AggregateDelta sums = store.aggregates.get(revenue);
        assertEquals(0, new BigDecimal("36").compareTo(sums.sum()), "5 + 7 + 11 + 13, each once: " + sums);
        assertEquals(0, new BigDecimal(18 * 18 + 18 * 18).compareTo(sums.sumSquares()),
                "Σ of the units' squared totals (u1 5 + 13, u2 7 + 11): " + sums);
        assertTrue(store.markerShards(revenue).containsAll(Set.of(closed, child)));
    }
}
