package io.splitline.ingest;

import io.splitline.store.TableNames;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The {@link UnitHistoryStore} on DynamoDB: histories in {@code UnitsTable} (layout in {@link UnitHistoryTable}),
 * read with one consistent {@code BatchGetItem} per 100 units, each written by one {@code PutItem} conditional
 * on its version. Stateless besides the thread-safe SDK client, so safe to call from several threads.
 */
public final class DynamoDbUnitHistoryStore implements UnitHistoryStore {
    private final DynamoDbClient dynamo;
    private final TableNames tables;

    public DynamoDbUnitHistoryStore(DynamoDbClient dynamo, TableNames tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    @Override
    public Map<String, UnitHistory> load(Collection<String> unitIds) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        unitIds.forEach(id -> keys.add(key(id)));
        Map<String, UnitHistory> histories = new HashMap<>();
        for (Map<String, AttributeValue> item : BatchReads.consistent(dynamo, tables.units(), keys, null)) {
            TreeMap<LocalDate, Map<String, BigDecimal>> days = new TreeMap<>();
            item.get(UnitHistoryTable.DAYS).m().forEach((day, totals) -> {
                Map<String, BigDecimal> byMetric = new HashMap<>();
                totals.m().forEach((metric, total) -> byMetric.put(metric, new BigDecimal(total.n())));
                days.put(LocalDate.parse(day), byMetric);
            });
            AttributeValue sequence = item.get(UnitHistoryTable.SEQUENCE);
            histories.put(item.get(UnitTable.PK).s().substring(UnitHistoryTable.pk("").length()), new UnitHistory(days,
                    sequence == null ? null : new BigInteger(sequence.n()), Long.parseLong(item.get(UnitHistoryTable.VERSION).n())));
        }
        return histories;
    }

    @Override
    public boolean write(String unitId, UnitHistory history) {
        Map<String, AttributeValue> days = new HashMap<>();
        history.days().forEach((day, totals) -> {
            Map<String, AttributeValue> byMetric = new HashMap<>();
            totals.forEach((metric, total) -> byMetric.put(metric, AttributeValue.fromN(total.toPlainString())));
            days.put(day.toString(), AttributeValue.fromM(byMetric));
        });
        Map<String, AttributeValue> item = new HashMap<>(key(unitId));
        item.put(UnitHistoryTable.DAYS, AttributeValue.fromM(days));
        item.put(UnitHistoryTable.SEQUENCE, AttributeValue.fromN(history.sequence().toString()));
        item.put(UnitHistoryTable.VERSION, AttributeValue.fromN(Long.toString(history.version() + 1)));
        try {
            dynamo.putItem(b -> {
                b.tableName(tables.units()).item(item).expressionAttributeNames(Map.of("#v", UnitHistoryTable.VERSION));
                if (history.version() == 0) {
                    b.conditionExpression("attribute_not_exists(#v)");
                } else {
                    b.conditionExpression("#v = :v")
                            .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(history.version()))));
                }
            });
            return true;
        } catch (ConditionalCheckFailedException moved) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String unitId) {
        return Map.of(UnitTable.PK, AttributeValue.fromS(UnitHistoryTable.pk(unitId)), UnitTable.SK, AttributeValue.fromS(UnitHistoryTable.SK));
    }
}
