package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Finding 4 of docs/ingest-v2.md on DynamoDB Local: a unit's {@code before} entries carry their metric, so a batch
 * replayed after a crash recomputes every record's increments from the totals its first attempt saw.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class StreamReplayDynamoDbTest {
    static final UnitRef REF = new UnitRef("exp-d", IngestTarget.EXPERIMENT_SCOPE, StreamAggregatorTest.unitIn("treatment", 0));

    @Test
    void aCrashAtAnyWrite_thenTheBatchAgain_givesTheAggregatesOfOneCleanAttempt(LocalTables local) {
        List<StreamRecord> batch = StreamFoldReviewTest.interleaved("exp-d");
        IngestTargets targets = StreamFoldReviewTest.only(StreamFoldReviewTest.DERIVED);
        CrashingStreamFoldStore counted = new CrashingStreamFoldStore(store(local));
        new StreamAggregator(counted, targets).apply(StreamFoldReviewTest.SHARD, batch);
        Map<String, VariantAggregates> clean = aggregates(local);
        assertEquals(0, BigDecimal.valueOf(16 * 3).compareTo(clean.get("treatment").ratioProducts().get("aov")),
                "Σ revenue·orders of the treatment unit: 16 × 3");

        for (int crashAfter = 0; crashAfter < counted.writes; crashAfter++) {
            LocalTables fresh = DynamoDbLocalExtension.freshTables();
            try {
                CrashingStreamFoldStore crashing = new CrashingStreamFoldStore(store(fresh));
                StreamAggregator aggregator = new StreamAggregator(crashing, targets);
                crashing.crashAfter(crashAfter);
                assertThrows(CrashingStreamFoldStore.Crash.class, () -> aggregator.apply(StreamFoldReviewTest.SHARD, batch));
                aggregator.apply(StreamFoldReviewTest.SHARD, batch);
                assertEquals(clean, aggregates(fresh), "crash after " + crashAfter + " writes");
            } finally {
                fresh.names().values().forEach(name -> fresh.client().deleteTable(b -> b.tableName(name)));
            }
        }
    }

    @Test
    void beforeEntries_roundTripWithTheirMetric_andABareTotalOfTheEarlierFormIsSkipped(LocalTables local) {
        DynamoDbStreamFoldStore store = store(local);
        BigInteger s = StreamAggregatorTest.FIRST_SEQUENCE;
        UnitState state = new UnitState("treatment", StreamAggregatorTest.T0.toString(), 1,
                Map.of("revenue", BigDecimal.valueOf(15), "orders", BigDecimal.ONE), Map.of());
        Map<BigInteger, StreamUnit.Before> before = Map.of(s.add(BigInteger.ONE), new StreamUnit.Before("revenue", BigDecimal.ZERO),
                s.add(BigInteger.TWO), new StreamUnit.Before("orders", BigDecimal.ZERO),
                s.add(BigInteger.valueOf(3)), new StreamUnit.Before("revenue", BigDecimal.TEN));
        assertTrue(store.writeUnit(new StreamFold.UnitWrite(REF, new StreamUnit(state, s.add(BigInteger.valueOf(3)), s, before), 0)));

        StreamUnit loaded = store.loadUnits(List.of(REF)).get(REF);
        assertEquals(before.keySet(), loaded.before().keySet());
        before.forEach((sequence, b) -> {
            assertEquals(b.metric(), loaded.before().get(sequence).metric());
            assertEquals(0, b.total().compareTo(loaded.before().get(sequence).total()));
        });
        UnitState first = loaded.statesBefore().get(s.add(BigInteger.ONE));
        assertEquals(0, first.total("revenue").signum(), "before the write's first record: no revenue");
        assertEquals(0, first.total("orders").signum(), "nor orders");

        // an item whose before map holds bare totals (the form before metrics were stored): loads, replays nothing
        local.client().updateItem(b -> b.tableName(TableNames.fromLogicalIds(local.names()).units())
                .key(Map.of(UnitTable.PK, AttributeValue.fromS(REF.pk()), UnitTable.SK, AttributeValue.fromS(REF.scope())))
                .updateExpression("SET #b = :b")
                .expressionAttributeNames(Map.of("#b", StreamTable.BEFORE))
                .expressionAttributeValues(Map.of(":b", AttributeValue.fromM(Map.of(s.add(BigInteger.ONE).toString(), AttributeValue.fromN("0"))))));
        StreamUnit legacy = store.loadUnits(List.of(REF)).get(REF);
        assertEquals(Map.of(), legacy.before());
        assertEquals(0, BigDecimal.valueOf(15).compareTo(legacy.state().total("revenue")));
    }

    static DynamoDbStreamFoldStore store(LocalTables local) {
        return new DynamoDbStreamFoldStore(local.client(), TableNames.fromLogicalIds(local.names()));
    }

    static Map<String, VariantAggregates> aggregates(LocalTables local) {
        return new DynamoDbAggregateReader(local.client(), TableNames.fromLogicalIds(local.names()).aggregates())
                .read("exp-d", IngestTarget.EXPERIMENT_SCOPE);
    }
}
