package io.splitline.ingest;

import io.splitline.aggregate.AggregateTable;
import io.splitline.aggregate.SegmentTable;
import io.splitline.store.TableNames;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The {@link StreamFoldStore} on DynamoDB: plain single-item writes, each with its condition (layout in
 * {@link StreamTable}) on the unit items ({@link UnitItems}) and aggregate increments ({@link AggregateUpdates}).
 * Markers of retired stream shards ({@link MarkerPruning}) seen when an item's markers are read are removed by
 * its next increment. Safe to call from several threads (the aggregator writes a phase's items concurrently):
 * its only state is those retired markers seen, in a concurrent map keyed by item and folding shard, and the
 * SDK client is thread-safe.
 */
public final class DynamoDbStreamFoldStore implements StreamFoldStore {
    private final DynamoDbClient dynamo;
    private final TableNames tables;
    private final Clock clock;
    /** By item and folding shard: the retired shards whose markers were on the item when last read. */
    private final Map<String, Set<String>> retiredSeen = new ConcurrentHashMap<>();

    public DynamoDbStreamFoldStore(DynamoDbClient dynamo, TableNames tables) {
        this(dynamo, tables, Clock.systemUTC());
    }

    public DynamoDbStreamFoldStore(DynamoDbClient dynamo, TableNames tables, Clock clock) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.clock = clock;
    }

    @Override
    public Map<UnitRef, StreamUnit> loadUnits(Collection<UnitRef> refs) {
        Map<UnitRef, StreamUnit> units = new HashMap<>();
        UnitItems.read(dynamo, tables, refs).forEach((ref, item) -> {
            Map<BigInteger, StreamUnit.Before> before = new HashMap<>();
            AttributeValue stored = item.get(StreamTable.BEFORE);
            if (stored != null && stored.hasM()) {
                stored.m().forEach((sequence, entry) -> {
                    // [metric, total]; an entry of the earlier form (a bare total) names no metric and is not replayed
                    if (entry.hasL() && entry.l().size() == 2) {
                        before.put(new BigInteger(sequence), new StreamUnit.Before(entry.l().get(0).s(), new BigDecimal(entry.l().get(1).n())));
                    }
                });
            }
            Map<String, String> segments = new HashMap<>();
            AttributeValue values = item.get(StreamTable.SEGMENTS);
            if (values != null && values.hasM()) {
                values.m().forEach((dimension, value) -> segments.put(dimension, value.s()));
            }
            units.put(ref, new StreamUnit(UnitItems.state(item), sequence(item.get(StreamTable.SEQUENCE)),
                    sequence(item.get(StreamTable.EXPOSED_BY)), before, segments));
        });
        return units;
    }

    @Override
    public boolean writeUnit(StreamFold.UnitWrite write) {
        StreamUnit unit = write.unit();
        Put put = UnitItems.put(tables, write.ref(), unit.state(), write.expectedVersion());
        Map<String, AttributeValue> item = new HashMap<>(put.item());
        item.put(StreamTable.SEQUENCE, sequence(unit.sequence()));
        if (unit.exposedBy() != null) {
            item.put(StreamTable.EXPOSED_BY, sequence(unit.exposedBy()));
        }
        Map<String, AttributeValue> before = new HashMap<>();
        unit.before().forEach((sequence, b) -> before.put(sequence.toString(),
                AttributeValue.fromL(List.of(AttributeValue.fromS(b.metric()), AttributeValue.fromN(b.total().toPlainString())))));
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
        return item == null ? null : sequence(item.get(StreamTable.SEQUENCE));
    }

    @Override
    public void markDecided(String streamShard, BigInteger sequence) {
        try {
            dynamo.updateItem(b -> b.tableName(tables.aggregates()).key(decidedKey(streamShard))
                    .updateExpression("SET #s = :s, #e = :e")
                    .conditionExpression("attribute_not_exists(#s) OR #s < :s")
                    .expressionAttributeNames(Map.of("#s", StreamTable.SEQUENCE, "#e", StreamTable.EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":s", sequence(sequence),
                            ":e", AttributeValue.fromN(Long.toString(MarkerPruning.decidedExpiresAt(clock.instant()))))));
        } catch (ConditionalCheckFailedException alreadyFurther) {
            // a later batch of the shard got there first: the point only moves forward
        }
    }

    @Override
    public Map<AggregateItem, BigInteger> appliedMarkers(Collection<AggregateItem> aggregates, String streamShard) {
        String marker = StreamTable.appliedMarker(streamShard);
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        aggregates.forEach(a -> keys.add(aggregateKey(a)));
        Map<AggregateItem, BigInteger> markers = new HashMap<>();
        Instant now = clock.instant();
        for (Map<String, AttributeValue> item : BatchReads.consistent(dynamo, tables.aggregates(), keys, null)) {
            AggregateItem aggregate = new AggregateItem(item.get(AggregateTable.PK).s(), item.get(AggregateTable.SK).s());
            BigInteger applied = sequence(item.get(marker));
            if (applied != null) {
                markers.put(aggregate, applied);
            }
            Map<String, Instant> writtenAt = new HashMap<>();
            item.forEach((name, value) -> {
                String shard = StreamTable.appliedAtShard(name);
                if (shard != null && !shard.equals(streamShard) && value.n() != null) {
                    writtenAt.put(shard, Instant.ofEpochSecond(Long.parseLong(value.n())));
                }
            });
            Set<String> retired = MarkerPruning.retired(writtenAt, now);
            if (retired.isEmpty()) {
                retiredSeen.remove(seenKey(aggregate, streamShard));
            } else {
                retiredSeen.put(seenKey(aggregate, streamShard), retired);
            }
        }
        return markers;
    }

    @Override
    public boolean addIfMarker(AggregateItem aggregate, String streamShard, BigInteger expected, BigInteger marker,
                               AggregateDelta delta) {
        Update add = AggregateUpdates.add(tables.aggregates(), aggregate, delta);
        Map<String, String> names = new HashMap<>(add.expressionAttributeNames());
        Map<String, AttributeValue> values = new HashMap<>(add.expressionAttributeValues());
        Instant now = clock.instant();
        names.put("#applied", StreamTable.appliedMarker(streamShard));
        names.put("#appliedAt", StreamTable.appliedAt(streamShard));
        values.put(":marker", sequence(marker));
        values.put(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond())));
        String condition = "attribute_not_exists(#applied)";
        if (expected != null) {
            condition = "#applied = :expected";
            values.put(":expected", sequence(expected));
        }
        // Retired shards' markers go with this write, on condition that none was written since it was read.
        List<String> removed = new ArrayList<>();
        int r = 0;
        for (String retired : retiredSeen.getOrDefault(seenKey(aggregate, streamShard), Set.of())) {
            names.put("#r" + r, StreamTable.appliedMarker(retired));
            names.put("#ra" + r, StreamTable.appliedAt(retired));
            removed.add("#r" + r + ", #ra" + r);
            condition += " AND (attribute_not_exists(#ra" + r + ") OR #ra" + r + " < :cutoff)";
            r++;
        }
        if (!removed.isEmpty()) {
            values.put(":cutoff", AttributeValue.fromN(Long.toString(MarkerPruning.cutoff(now).getEpochSecond())));
        }
        String expression = condition;
        String update = "SET #applied = :marker, #appliedAt = :now " + add.updateExpression()
                + (removed.isEmpty() ? "" : " REMOVE " + String.join(", ", removed));
        try {
            dynamo.updateItem(b -> b.tableName(add.tableName()).key(add.key())
                    .updateExpression(update)
                    .conditionExpression(expression)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
            retiredSeen.remove(seenKey(aggregate, streamShard));
            return true;
        } catch (ConditionalCheckFailedException moved) {
            return false;
        }
    }

    private static String seenKey(AggregateItem aggregate, String streamShard) {
        return aggregate.pk() + "\n" + aggregate.sk() + "\n" + streamShard;
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
        for (Map<String, AttributeValue> item : BatchReads.consistent(dynamo, tables.aggregates(), keys, null)) {
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

    private static Map<String, AttributeValue> aggregateKey(AggregateItem a) {
        return Map.of(AggregateTable.PK, AttributeValue.fromS(a.pk()), AggregateTable.SK, AttributeValue.fromS(a.sk()));
    }

    /**
     * A stream sequence number as stored: DynamoDB Streams gives 21 to 40 digits, more than a DynamoDB number's
     * 38, so it is kept as a string zero-padded to 40 digits, whose order as text is its order as a number.
     */
    private static AttributeValue sequence(BigInteger sequence) {
        String digits = sequence.toString();
        if (sequence.signum() < 0 || digits.length() > StreamTable.SEQUENCE_DIGITS) {
            throw new IllegalArgumentException("not a stream sequence number: " + digits);
        }
        return AttributeValue.fromS("0".repeat(StreamTable.SEQUENCE_DIGITS - digits.length()) + digits);
    }

    private static BigInteger sequence(AttributeValue value) {
        return value == null || value.s() == null ? null : new BigInteger(value.s());
    }
}
