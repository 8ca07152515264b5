package io.splitline.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.splitline.devkit.DynamoDbLocal;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.store.TableNames;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Both ways the meter prices requests, and what it and {@link StoredItems} see of refused conditions, on real DynamoDB Local answers. */
@ExtendWith(DynamoDbLocalExtension.class)
class CapacityMeterTest {
    @Test
    void pricesTransactionsAndBatchReadsBySizeAndByOperation(LocalTables tables) {
        CapacityMeter meter = new CapacityMeter();
        DynamoDbClient client = DynamoDbLocal.client(tables.endpoint(), meter);
        String table = TableNames.fromLogicalIds(tables.names()).aggregates();
        Map<String, AttributeValue> small = item("a", "x");
        Map<String, AttributeValue> large = item("b", "y".repeat(1500)); // two started KB

        client.transactWriteItems(b -> b.transactItems(put(table, small), put(table, large)));
        client.batchGetItem(b -> b.requestItems(Map.of(table, KeysAndAttributes.builder().consistentRead(true)
                .keys(key("a"), key("b"), key("absent")).build())));
        // a transaction whose condition fails: cancelled, not counted by operation
        assertThrows(TransactionCanceledException.class, () -> client.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(small)
                        .conditionExpression("attribute_not_exists(pk)").build()).build())));

        assertEquals(2.0 * 1 + 2.0 * 2, meter.ruleWriteUnits(), "by size: 2 per started KB of each put");
        assertEquals(2.0, meter.ruleReadUnits(), "by size: the two items found, each under 4 KB");
        assertEquals(1, meter.committed());
        assertEquals(1, meter.cancelled());
        assertEquals(Map.of("ConditionalCheckFailed", 1L), meter.reasons());
        Map<String, double[]> ops = meter.byOperation();
        assertEquals(List.of("BatchGetItem", "TransactWriteItems"), List.copyOf(ops.keySet()));
        assertEquals(1.0, ops.get("TransactWriteItems")[0]);
        assertEquals(4.0, ops.get("TransactWriteItems")[2], "by operation: 2 per action");
        assertEquals(3.0, ops.get("BatchGetItem")[2], "by operation: 1 per key asked, found or not");
        assertEquals(2 + 1 + 2 + 1 + 7 + 1500, meter.largestPutBytes(), "names and values of the larger put");

        meter.reset();
        assertEquals(Map.of(), meter.byOperation());
        assertEquals(0.0, meter.ruleWriteUnits());
        assertEquals(0, meter.cancelled());
    }

    @Test
    void countsConditionalPutsRefusedAndKeepsOnlyTheItemsStored(LocalTables tables) {
        CapacityMeter meter = new CapacityMeter();
        String table = TableNames.fromLogicalIds(tables.names()).events();
        StoredItems stored = new StoredItems(table);
        DynamoDbClient client = DynamoDbLocal.client(tables.endpoint(), stored, meter);
        Map<String, AttributeValue> first = item("a", "x");
        Map<String, AttributeValue> again = item("a", "changed");

        client.putItem(b -> b.tableName(table).item(first).conditionExpression("attribute_not_exists(pk)"));
        assertThrows(ConditionalCheckFailedException.class,
                () -> client.putItem(b -> b.tableName(table).item(again).conditionExpression("attribute_not_exists(pk)")));

        assertEquals(1, meter.refusedConditions());
        assertEquals(1.0, meter.byOperation().get("PutItem")[0], "only the put that stored is counted by operation");
        assertEquals(List.of(first), stored.take(), "the refused put stored nothing");
        assertEquals(List.of(), stored.take(), "taken once");
        meter.reset();
        assertEquals(0, meter.refusedConditions());
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("s"));
    }

    private static Map<String, AttributeValue> item(String pk, String payload) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("s"), "payload", AttributeValue.fromS(payload));
    }

    private static TransactWriteItem put(String table, Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item).build()).build();
    }
}
