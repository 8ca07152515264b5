package io.splitline.ingest;

import io.splitline.aggregate.AggregateTable;
import io.splitline.aggregate.SegmentTable;
import io.splitline.store.TableNames;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The {@link StreamFoldStore} on DynamoDB: plain single-item writes, each with its condition (layout in
 * {@link StreamTable}). Unit items and aggregate increments have the same shape as the transactional
 * ingest's ({@link DynamoDbIngestStore}), so the two can write the same tables.
 */
public final class DynamoDbStreamFoldStore implements StreamFoldStore {
    private final DynamoDbClient dynamo;
    private final TableNames tables;
    private final DynamoDbIngestStore items;

    public DynamoDbStreamFoldStore(DynamoDbClient dynamo, TableNames tables) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.items = new DynamoDbIngestStore(dynamo, tables, Duration.ZERO); // its item shapes only
    }

    @Override
    public Map<UnitRef, StreamUnit> loadUnits(Collection<UnitRef> refs) {
        Map<UnitRef, StreamUnit> units = new HashMap<>();
        items.unitItems(refs).forEach((ref, item) -> {
            Map<BigInteger, BigDecimal> before = new HashMap<>();
            AttributeValue stored = item.get(StreamTable.BEFORE);
            if (stored != null && stored.hasM()) {
                stored.m().forEach((sequence, total) -> before.put(new BigInteger(sequence), new BigDecimal(total.n())));
            }
            Map<String, String> segments = new HashMap<>();
            AttributeValue values = item.get(StreamTable.SEGMENTS);
            if (values != null && values.hasM()) {
                values.m().forEach((dimension, value) -> segments.put(dimension, value.s()));
            }
            units.put(ref, new StreamUnit(DynamoDbIngestStore.unitState(item), number(item.get(StreamTable.SEQUENCE)),
                    number(item.get(StreamTable.EXPOSED_BY)), before, segments));
        });
        return units;
    }

    @Override
    public boolean writeUnit(StreamFold.UnitWrite write) {
        StreamUnit unit = write.unit();
        Put put = items.unitPut(new WriteSet.UnitWrite(write.ref(), unit.state(), write.expectedVersion()));
        Map<String, AttributeValue> item = new HashMap<>(put.item());
        item.put(StreamTable.SEQUENCE, AttributeValue.fromN(unit.sequence().toString()));
        if (unit.exposedBy() != null) {
            item.put(StreamTable.EXPOSED_BY, AttributeValue.fromN(unit.exposedBy().toString()));
        }
        Map<String, AttributeValue> before = new HashMap<>();
        unit.before().forEach((sequence, total) -> before.put(sequence.toString(), AttributeValue.fromN(total.toPlainString())));
        item.put(StreamTable.BEFORE, AttributeValue.fromM(before));
        if (!unit.segments().isEmpty()) {
            Map<String, AttributeValue> segments = new HashMap<>();
            unit.segments().forEach((dimension, value) -> segments.put(dimension, AttributeValue.fromS(value)));
            item.put(StreamTable.SEGMENTS, AttributeValue.fromM(segments));
        }
        try {
            dynamo.putItem(b -> {
                b.tableName(put.tableName()).item(item)
                        .conditionExpression(put.conditionExpression())
                        .expressionAttributeNames(put.expressionAttributeNames());
                if (put.hasExpressionAttributeValues()) {
                    b.expressionAttributeValues(put.expressionAttributeValues());
                }
            });
            return true;
        } catch (ConditionalCheckFailedException refused) {
            return false;
        }
    }

    @Override
    public BigInteger decidedThrough(String streamShard) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.aggregates()).key(decidedKey(streamShard))
                .consistentRead(true)).item();
        return item == null ? null : number(item.get(StreamTable.SEQUENCE));
    }

    @Override
    public void markDecided(String streamShard, BigInteger sequence) {
        try {
            dynamo.updateItem(b -> b.tableName(tables.aggregates()).key(decidedKey(streamShard))
                    .updateExpression("SET #s = :s")
                    .conditionExpression("attribute_not_exists(#s) OR #s < :s")
                    .expressionAttributeNames(Map.of("#s", StreamTable.SEQUENCE))
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromN(sequence.toString()))));
        } catch (ConditionalCheckFailedException alreadyFurther) {
            // a later batch of the shard got there first: the point only moves forward
        }
    }

    @Override
    public Map<WriteSet.AggregateItem, BigInteger> appliedMarkers(Collection<WriteSet.AggregateItem> aggregates, String streamShard) {
        String marker = StreamTable.appliedMarker(streamShard);
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        aggregates.forEach(a -> keys.add(aggregateKey(a)));
        Map<WriteSet.AggregateItem, BigInteger> markers = new HashMap<>();
        for (Map<String, AttributeValue> item : items.batchGet(tables.aggregates(), keys, null)) {
            BigInteger applied = number(item.get(marker));
            if (applied != null) {
                markers.put(new WriteSet.AggregateItem(item.get(AggregateTable.PK).s(), item.get(AggregateTable.SK).s()), applied);
            }
        }
        return markers;
    }

    @Override
    public boolean addIfMarker(WriteSet.AggregateItem aggregate, String streamShard, BigInteger expected, BigInteger marker,
                               AggregateDelta delta) {
        Update add = items.aggregateUpdate(aggregate, delta);
        Map<String, String> names = new HashMap<>(add.expressionAttributeNames());
        Map<String, AttributeValue> values = new HashMap<>(add.expressionAttributeValues());
        names.put("#applied", StreamTable.appliedMarker(streamShard));
        values.put(":marker", AttributeValue.fromN(marker.toString()));
        String condition = "attribute_not_exists(#applied)";
        if (expected != null) {
            condition = "#applied = :expected";
            values.put(":expected", AttributeValue.fromN(expected.toString()));
        }
        String expression = condition;
        try {
            dynamo.updateItem(b -> b.tableName(add.tableName()).key(add.key())
                    .updateExpression("SET #applied = :marker " + add.updateExpression())
                    .conditionExpression(expression)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException moved) {
            return false;
        }
    }

    @Override
    public Map<SlotSet, Set<String>> loadSlots(Collection<SlotSet> sets) {
        Map<String, SlotSet> byKey = new HashMap<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (SlotSet set : sets) {
            Map<String, AttributeValue> key = slotsKey(set);
            byKey.put(key.get(AggregateTable.PK).s() + "\u0000" + set.dimension(), set);
            keys.add(key);
        }
        Map<SlotSet, Set<String>> found = new HashMap<>();
        for (Map<String, AttributeValue> item : items.batchGet(tables.aggregates(), keys, null)) {
            AttributeValue values = item.get(SegmentTable.VALUES);
            found.put(byKey.get(item.get(AggregateTable.PK).s() + "\u0000" + item.get(AggregateTable.SK).s()),
                    values == null || !values.hasSs() ? Set.of() : Set.copyOf(values.ss()));
        }
        return found;
    }

    @Override
    public boolean claimSlot(SlotSet set, String value, int slots) {
        try {
            dynamo.updateItem(b -> b.tableName(tables.aggregates()).key(slotsKey(set))
                    .updateExpression("ADD #v :add")
                    .conditionExpression("attribute_not_exists(#v) OR contains(#v, :value) OR size(#v) < :slots")
                    .expressionAttributeNames(Map.of("#v", SegmentTable.VALUES))
                    .expressionAttributeValues(Map.of(":add", AttributeValue.fromSs(List.of(value)),
                            ":value", AttributeValue.fromS(value), ":slots", AttributeValue.fromN(Integer.toString(slots)))));
            return true;
        } catch (ConditionalCheckFailedException full) {
            return false;
        }
    }

    private static Map<String, AttributeValue> slotsKey(SlotSet set) {
        return Map.of(AggregateTable.PK, AttributeValue.fromS(SegmentTable.slotsPk(set.key(), set.scope())),
                AggregateTable.SK, AttributeValue.fromS(set.dimension()));
    }

    private static Map<String, AttributeValue> decidedKey(String streamShard) {
        return Map.of(AggregateTable.PK, AttributeValue.fromS(StreamTable.decidedPk(streamShard)),
                AggregateTable.SK, AttributeValue.fromS(StreamTable.DECIDED_SK));
    }

    private static Map<String, AttributeValue> aggregateKey(WriteSet.AggregateItem a) {
        return Map.of(AggregateTable.PK, AttributeValue.fromS(a.pk()), AggregateTable.SK, AttributeValue.fromS(a.sk()));
    }

    private static BigInteger number(AttributeValue value) {
        return value == null || value.n() == null ? null : new BigInteger(value.n());
    }
}
