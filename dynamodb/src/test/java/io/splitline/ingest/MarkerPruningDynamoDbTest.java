package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.aggregate.AggregateTable;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.Shards;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.rollout.MutableClock;
import io.splitline.store.TableNames;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link DynamoDbStreamFoldStore} prunes retired shards' markers in its conditional increments and gives the
 * decided points their TTL, on DynamoDB Local (the scenario of the twin's {@link MarkerPruningTest}).
 */
@ExtendWith(DynamoDbLocalExtension.class)
class MarkerPruningDynamoDbTest {
    static final Instant T0 = StreamAggregatorTest.T0;

    private static Map<String, AttributeValue> item(LocalTables local, TableNames tables, String pk, String sk) {
        return local.client().getItem(b -> b.tableName(tables.aggregates()).consistentRead(true)
                .key(Map.of(AggregateTable.PK, AttributeValue.fromS(pk), AggregateTable.SK, AttributeValue.fromS(sk)))).item();
    }

    @Test
    void aRetiredShardsMarker_leavesTheItemWithTheNextIncrement_andEveryRecordCountsOnce(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        List<String> shards = MarkerPruningTest.twoShardsOnOneAggregateShard();
        String closed = shards.get(0);
        String child = shards.get(1);
        MutableClock clock = new MutableClock(T0);
        StreamAggregator aggregator = new StreamAggregator(new DynamoDbStreamFoldStore(local.client(), tables, clock),
                StreamAggregatorTest.TARGETS);
        String u1 = StreamAggregatorTest.unitIn("treatment", 0);
        String u2 = StreamAggregatorTest.unitIn("treatment", 1);
        String pk = AggregateTable.pk("exp-a", IngestTarget.EXPERIMENT_SCOPE, Shards.of(closed));
        String sk = AggregateTable.metricSk("treatment", "revenue");

        aggregator.apply(closed, MarkerPruningTest.records(100, List.of(
                StreamAggregatorTest.exposure("x1", "exp-a", u1, T0, Map.of()),
                StreamAggregatorTest.metric("m1", "exp-a", u1, "revenue", new BigDecimal("5"), T0.plusSeconds(1)))));
        clock.advance(Duration.ofHours(47));
        aggregator.apply(child, MarkerPruningTest.records(1000, List.of(
                StreamAggregatorTest.exposure("x2", "exp-a", u2, T0, Map.of()),
                StreamAggregatorTest.metric("m2", "exp-a", u2, "revenue", new BigDecimal("7"), T0.plusSeconds(1)))));
        assertTrue(item(local, tables, pk, sk).containsKey(StreamTable.appliedMarker(closed)), "47 h: kept");

        clock.advance(Duration.ofHours(2));
        aggregator.apply(child, MarkerPruningTest.records(1002, List.of(
                StreamAggregatorTest.metric("m3", "exp-a", u2, "revenue", new BigDecimal("11"), T0.plusSeconds(2)))));

        Map<String, AttributeValue> stored = item(local, tables, pk, sk);
        assertFalse(stored.containsKey(StreamTable.appliedMarker(closed)), stored.toString());
        assertFalse(stored.containsKey(StreamTable.appliedAt(closed)), stored.toString());
        assertEquals("1002", sequence(stored.get(StreamTable.appliedMarker(child))));
        assertEquals(Long.toString(clock.instant().getEpochSecond()), stored.get(StreamTable.appliedAt(child)).n());
        Map<String, AttributeValue> decided = item(local, tables, StreamTable.decidedPk(child), StreamTable.DECIDED_SK);
        assertEquals(Long.toString(clock.instant().plus(MarkerPruning.RETIRE_AFTER).getEpochSecond()),
                decided.get(StreamTable.EXPIRES_AT).n(), "the decided point expires 48 h after it last moved (table TTL)");

        aggregator.apply(closed, MarkerPruningTest.records(102, List.of( // an idle, not closed, shard's next records
                StreamAggregatorTest.metric("m4", "exp-a", u1, "revenue", new BigDecimal("13"), T0.plusSeconds(3)))));
        var revenue = new DynamoDbAggregateReader(local.client(), tables.aggregates())
                .read("exp-a", IngestTarget.EXPERIMENT_SCOPE).get("treatment").metric("revenue");
        assertEquals(0, new BigDecimal("36").compareTo(revenue.sum()), "each record once: " + revenue);
        assertEquals(0, new BigDecimal("648").compareTo(revenue.sumSquares()), "18² + 18²: " + revenue);
    }

    @Test
    void aMarkerWrittenAgainAfterItWasReadAsRetired_isKept_andThePruningWriteIsRefused(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        List<String> shards = MarkerPruningTest.twoShardsOnOneAggregateShard();
        String idle = shards.get(0);
        String folding = shards.get(1);
        MutableClock clock = new MutableClock(T0);
        DynamoDbStreamFoldStore store = new DynamoDbStreamFoldStore(local.client(), tables, clock);
        AggregateItem item = new AggregateItem(
                AggregateTable.pk("exp-a", IngestTarget.EXPERIMENT_SCOPE, Shards.of(idle)), AggregateTable.metricSk("control", "revenue"));
        AggregateDelta one = new AggregateDelta(0, 0, BigDecimal.ONE, BigDecimal.ONE);
        assertTrue(store.addIfMarker(item, idle, null, BigInteger.valueOf(10), one));
        clock.advance(Duration.ofHours(49));

        store.appliedMarkers(List.of(item), folding); // sees the idle shard's marker as retired
        assertTrue(store.addIfMarker(item, idle, BigInteger.valueOf(10), BigInteger.valueOf(11), one), "the idle shard wakes up");
        boolean written = store.addIfMarker(item, folding, null, BigInteger.valueOf(500), one);

        assertFalse(written, "the condition on the retired marker's time refuses the pruning write");
        assertEquals("11", sequence(item(local, tables, item.pk(), item.sk()).get(StreamTable.appliedMarker(idle))));
        store.appliedMarkers(List.of(item), folding); // the fold re-reads: the marker is fresh now
        assertTrue(store.addIfMarker(item, folding, null, BigInteger.valueOf(500), one));
        Map<String, AttributeValue> stored = item(local, tables, item.pk(), item.sk());
        assertEquals("11", sequence(stored.get(StreamTable.appliedMarker(idle))));
        assertEquals("500", sequence(stored.get(StreamTable.appliedMarker(folding))));
    }

    /** A stored sequence number as its decimal (stored zero-padded as text). */
    private static String sequence(AttributeValue stored) {
        return new BigInteger(stored.s()).toString();
    }
}
