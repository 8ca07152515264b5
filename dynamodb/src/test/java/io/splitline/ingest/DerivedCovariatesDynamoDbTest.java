package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.store.TableNames;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Derived CUPED covariates on DynamoDB Local: {@link DynamoDbUnitHistoryStore}'s items and conditional writes, and
 * the fold with crashes before any write (history, unit, decided or aggregate), retried and bisected batches,
 * against {@link DerivedCovariatesTest}'s ground truth.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class DerivedCovariatesDynamoDbTest {

    @Test
    void aHistoryRoundTrips_andAWriteFromAStaleVersionIsRefused(LocalTables local) {
        DynamoDbUnitHistoryStore store = new DynamoDbUnitHistoryStore(local.client(), TableNames.fromLogicalIds(local.names()));
        UnitHistory history = UnitHistory.EMPTY.plus("revenue", new BigDecimal("2.5"), Instant.parse("2026-11-20T08:00:00Z"), BigInteger.TEN)
                .plus("purchase", BigDecimal.ONE, Instant.parse("2026-11-21T08:00:00Z"), new BigInteger("11"));

        assertTrue(store.write("u1", history));
        UnitHistory stored = store.load(List.of("u1", "u2")).get("u1");
        assertEquals(history.withVersion(1), stored);
        assertEquals(Set.of("u1"), store.load(List.of("u1", "u2")).keySet());
        assertEquals(false, store.write("u1", history), "written from version 0 again");
        assertTrue(store.write("u1", stored.plus("revenue", BigDecimal.ONE, Instant.parse("2026-11-20T09:00:00Z"), new BigInteger("12"))));
        assertEquals(Map.of("revenue", new BigDecimal("3.5")), store.load(List.of("u1")).get("u1").days().get(LocalDate.parse("2026-11-20")));
    }

    @Test
    void crashesWithRetriedAndBisectedBatches_onDynamoDb_giveTheDerivedCovariatesOfTheGroundTruth(LocalTables local) {
        StreamAggregatorTest.Stream stream = DerivedCovariatesTest.generate(31, 80);
        TableNames tables = TableNames.fromLogicalIds(local.names());
        StreamAggregatorTest.Delivery delivery = DerivedCovariatesTest.delivery(new DynamoDbStreamFoldStore(local.client(), tables),
                new DynamoDbUnitHistoryStore(local.client(), tables), 32, 0.8);
        delivery.run(stream, 15);

        assertTrue(delivery.crashes > 5 && delivery.bisections > 1, delivery.crashes + " crashes, " + delivery.bisections + " bisections");
        StreamAggregatorDynamoDbTest.assertGroundTruth(DerivedCovariatesTest.groundTruth(stream),
                new DynamoDbAggregateReader(local.client(), tables.aggregates()));
    }
}
