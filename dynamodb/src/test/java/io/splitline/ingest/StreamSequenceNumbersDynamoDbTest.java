package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.store.TableNames;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Review finding 1: DynamoDB Streams sequence numbers are decimal strings of 21 to 40 digits (API reference,
 * {@code SequenceNumberRange}), while a DynamoDB number holds at most 38 significant digits. The fold's
 * sequence attributes ({@code seq}, {@code exposedBy}, {@code applied_<shard>}, the decided point) must hold
 * every length, and compare as numbers across lengths.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class StreamSequenceNumbersDynamoDbTest {
    static final String SHARD = StreamAggregatorTest.SHARDS.get(0);

    @Test
    void fortyDigitSequenceNumbers_areStoredAndFoldedExactlyOnce(LocalTables local) {
        String unit = StreamAggregatorTest.unitIn("treatment", 0);
        BigInteger s = new BigInteger("4".repeat(40)); // 40 significant digits, the longest a stream gives
        List<StreamRecord> batch = List.of(
                new StreamRecord(s, StreamAggregatorTest.exposure("x1", "exp-a", unit, StreamAggregatorTest.T0, Map.of())),
                new StreamRecord(s.add(BigInteger.ONE), StreamAggregatorTest.metric("m1", "exp-a", unit, "purchase",
                        BigDecimal.TEN, StreamAggregatorTest.T0)));
        TableNames tables = TableNames.fromLogicalIds(local.names());
        StreamAggregator aggregator = new StreamAggregator(new DynamoDbStreamFoldStore(local.client(), tables), StreamAggregatorTest.TARGETS);

        aggregator.apply(SHARD, batch);
        aggregator.apply(SHARD, batch); // delivered again

        VariantAggregates got = new DynamoDbAggregateReader(local.client(), tables.aggregates())
                .read("exp-a", IngestTarget.EXPERIMENT_SCOPE).get("treatment");
        assertEquals(1, got.units());
        assertEquals(0, BigDecimal.TEN.compareTo(got.metric("purchase").sum()));
    }

    @Test
    void aShorterSequenceNumberAfterALongerOne_isStillOlder(LocalTables local) {
        String unit = StreamAggregatorTest.unitIn("treatment", 1);
        BigInteger shorter = new BigInteger("9".repeat(21));
        BigInteger longer = new BigInteger("1" + "0".repeat(21)); // 22 digits: greater, though "1…" < "9…" as text
        TableNames tables = TableNames.fromLogicalIds(local.names());
        DynamoDbStreamFoldStore store = new DynamoDbStreamFoldStore(local.client(), tables);
        StreamAggregator aggregator = new StreamAggregator(store, StreamAggregatorTest.TARGETS);

        aggregator.apply(SHARD, List.of(new StreamRecord(shorter,
                StreamAggregatorTest.exposure("x2", "exp-a", unit, StreamAggregatorTest.T0, Map.of()))));
        aggregator.apply(SHARD, List.of(new StreamRecord(longer,
                StreamAggregatorTest.metric("m2", "exp-a", unit, "purchase", BigDecimal.ONE, StreamAggregatorTest.T0))));
        aggregator.apply(SHARD, List.of(new StreamRecord(shorter,
                StreamAggregatorTest.exposure("x2", "exp-a", unit, StreamAggregatorTest.T0, Map.of())))); // re-delivered late

        assertEquals(longer, store.decidedThrough(SHARD), "the decided point never moves back");
        VariantAggregates got = new DynamoDbAggregateReader(local.client(), tables.aggregates())
                .read("exp-a", IngestTarget.EXPERIMENT_SCOPE).get("treatment");
        assertEquals(1, got.units());
        assertEquals(0, BigDecimal.ONE.compareTo(got.metric("purchase").sum()));
    }
}
