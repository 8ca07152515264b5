package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.SegmentVariants;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.stats.MetricAggregate;
import io.splitline.store.TableNames;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Segments on DynamoDB Local: the fold's slot claims and unit segment values under crashes, retried and
 * bisected batches, read back by {@link DynamoDbAggregateReader#segments}; raw items' {@code attributes} through
 * the events table's real stream; and the slot set's condition under claims in flight together.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class SegmentsDynamoDbTest {

    @Test
    void crashesWithRetriedAndBisectedBatches_onDynamoDb_giveTheSegmentGroundTruth(LocalTables local) {
        StreamAggregatorTest.Stream stream = SegmentCaptureTest.generate(31, 60);
        TableNames tables = TableNames.fromLogicalIds(local.names());
        DynamoDbStreamFoldStore store = new DynamoDbStreamFoldStore(local.client(), tables);
        StreamAggregatorTest.Delivery delivery = new StreamAggregatorTest.Delivery(store, SegmentCaptureTest.TARGETS, 32, 0.8);
        delivery.run(stream, 20);

        assertTrue(delivery.crashes > 5 && delivery.bisections > 1, delivery.crashes + " crashes, " + delivery.bisections + " bisections");
        Set<SlotSet> sets = Set.of(new SlotSet("exp-seg", "-", "country"), new SlotSet("exp-seg", "-", "plan"));
        Map<SlotSet, Set<String>> slots = store.loadSlots(sets);
        assertEquals(SegmentValues.SLOTS, slots.get(new SlotSet("exp-seg", "-", "country")).size());
        assertEquals(Set.of("free", "pro"), slots.get(new SlotSet("exp-seg", "-", "plan")));
        Map<String, AggregateDelta> truth = SegmentCaptureTest.groundTruth(stream, slots);
        List<SegmentVariants> read = new DynamoDbAggregateReader(local.client(), tables.aggregates()).segments("exp-seg", "-");

        Set<String> segmentsRead = new TreeSet<>();
        for (SegmentVariants segment : read) {
            segmentsRead.add(segment.dimension() + "=" + segment.value());
            for (String variant : List.of("control", "treatment")) {
                String where = segment.dimension() + "=" + segment.value() + "/" + variant;
                VariantAggregates got = segment.variants().getOrDefault(variant, VariantAggregates.empty(variant));
                assertEquals(truth.getOrDefault(where, AggregateDelta.ZERO).units(), got.units(), where + " units");
                AggregateDelta want = truth.getOrDefault(where + "#revenue", AggregateDelta.ZERO);
                MetricAggregate m = got.metric("revenue");
                assertEquals(want.positive(), m.positiveUnits(), where + " positive");
                assertEquals(0, want.sum().compareTo(m.sum()), where + " sum: want " + want.sum() + " got " + m.sum());
                assertEquals(0, want.sumSquares().compareTo(m.sumSquares()), where + " sumSq");
            }
        }
        Set<String> segmentsWanted = new TreeSet<>();
        truth.keySet().forEach(k -> segmentsWanted.add(k.substring(0, k.indexOf('/'))));
        assertEquals(segmentsWanted, segmentsRead);
        assertEquals(read.stream().map(s -> s.dimension() + "=" + s.value()).toList(), List.copyOf(segmentsRead),
                "ordered by dimension, then value");
    }

    @Test
    void rawItemsAttributes_throughTheEventsTablesStream_becomeTheUnitsSegments(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        List<String> units = SegmentCaptureTest.exposedUnits(3);
        List<IngestEvent> events = List.of(
                SegmentCaptureTest.exposure("x0", units.get(0), Map.of("country", "de#1", "plan", "pro")),
                SegmentCaptureTest.exposure("x1", units.get(1), Map.of("country", "de#1")),
                SegmentCaptureTest.exposure("x2", units.get(2), Map.of("country", "x".repeat(100), "plan", "free")),
                SegmentCaptureTest.metric("m0", "exp-seg", units.get(0), new BigDecimal("2.5")),
                SegmentCaptureTest.metric("m1", null, units.get(1), new BigDecimal("4")));
        for (IngestEvent e : events) {
            Map<String, AttributeValue> item = new HashMap<>(StreamAggregatorDynamoDbTest.rawItem(e));
            if (!e.attributes().isEmpty()) {
                Map<String, AttributeValue> attributes = new HashMap<>();
                e.attributes().forEach((name, value) -> attributes.put(name, AttributeValue.fromS(value)));
                item.put(EventTable.ATTRIBUTES, AttributeValue.fromM(attributes));
            }
            local.client().putItem(b -> b.tableName(tables.events()).item(item));
        }
        StreamAggregator aggregator = new StreamAggregator(new DynamoDbStreamFoldStore(local.client(), tables), SegmentCaptureTest.TARGETS);
        StreamAggregatorDynamoDbTest.readStream(local, tables.events()).forEach(aggregator::apply);

        Map<String, SegmentVariants> bySegment = new HashMap<>();
        new DynamoDbAggregateReader(local.client(), tables.aggregates()).segments("exp-seg", "-")
                .forEach(s -> bySegment.put(s.dimension() + "=" + s.value(), s));
        assertEquals(Set.of("country=de#1", "country=" + "x".repeat(SegmentValues.MAX_LENGTH), "plan=pro", "plan=free",
                "plan=" + SegmentValues.NONE), bySegment.keySet(), "a '#' in a value survives; a long one is cut to 64");
        SegmentVariants de = bySegment.get("country=de#1");
        long units2 = de.variants().values().stream().mapToLong(VariantAggregates::units).sum();
        BigDecimal revenue = de.variants().values().stream().map(v -> v.metric("revenue").sum()).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(2, units2);
        assertEquals(0, new BigDecimal("6.5").compareTo(revenue), "the keyed and the keyless metric both count in the segment");
    }

    @Test
    void anExposureEventsAttributes_sentToPostEvents_becomeItsUnitsSegments(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        List<String> units = SegmentCaptureTest.exposedUnits(2);
        StreamIngest ingest = new StreamIngest(local, SegmentCaptureTest.TARGETS, d -> { },
                java.time.Clock.fixed(StreamAggregatorTest.T0.plusSeconds(60), java.time.ZoneOffset.UTC));
        String at = StreamAggregatorTest.T0.toString();
        IngestResult result = ingest.sendAndDrain((com.fasterxml.jackson.databind.node.ObjectNode) io.splitline.json.Json.parseTrusted("""
                {"events": [
                  {"eventId": "x0", "key": "exp-seg", "unitId": "%s", "type": "exposure", "timestamp": "%s",
                   "attributes": {"country": "fr", "plan": "pro", "beta": true}},
                  {"eventId": "x1", "key": "exp-seg", "unitId": "%s", "type": "exposure", "timestamp": "%s"},
                  {"eventId": "m0", "key": "exp-seg", "unitId": "%s", "metric": "revenue", "value": 3, "timestamp": "%s"}]}
                """.formatted(units.get(0), at, units.get(1), at, units.get(0), at)));

        assertEquals(3, result.accepted());
        Map<String, Long> unitsBySegment = new HashMap<>();
        new DynamoDbAggregateReader(local.client(), tables.aggregates()).segments("exp-seg", "-").forEach(s ->
                unitsBySegment.put(s.dimension() + "=" + s.value(), s.variants().values().stream().mapToLong(VariantAggregates::units).sum()));
        assertEquals(Map.of("country=fr", 1L, "plan=pro", 1L, "country=" + SegmentValues.NONE, 1L, "plan=" + SegmentValues.NONE, 1L),
                unitsBySegment, "the event's attributes name its unit's segments; an exposure without them is (none)");
    }

    @Test
    void aMetricEventWithAttributes_isRejectedNamingThem() {
        EventBatch batch = EventBatch.parse(io.splitline.json.Json.parseTrusted("""
                {"events": [{"eventId": "m", "key": "k", "unitId": "u", "metric": "revenue", "timestamp": "2026-01-01T00:00:00Z",
                             "attributes": {"country": "fr"}}]}"""), java.time.Instant.parse("2026-01-01T00:00:00Z"));

        assertEquals(List.of(), batch.events());
        assertEquals("events[0].attributes", batch.rejections().get(0).field(), batch.rejections().toString());
    }

    @Test
    void claimsInFlightTogether_neverSlotMoreThanTwentyValues(LocalTables local) throws Exception {
        DynamoDbStreamFoldStore store = new DynamoDbStreamFoldStore(local.client(), TableNames.fromLogicalIds(local.names()));
        SlotSet set = new SlotSet("exp-race", "-", "country");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Boolean>> claims = new ArrayList<>();
            for (int copy = 0; copy < 2; copy++) { // every value claimed twice, the copies in flight together
                for (int v = 0; v < 40; v++) {
                    String value = "c" + v;
                    claims.add(() -> store.claimSlot(set, value, SegmentValues.SLOTS));
                }
            }
            List<Future<Boolean>> answers = pool.invokeAll(claims);
            Set<String> slotted = store.loadSlots(List.of(set)).get(set);
            assertEquals(SegmentValues.SLOTS, slotted.size());
            for (int i = 0; i < claims.size(); i++) {
                assertEquals(slotted.contains("c" + (i % 40)), answers.get(i).get(), "claim of c" + (i % 40)
                        + " answered true exactly when the value holds a slot");
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(store.claimSlot(set, store.loadSlots(List.of(set)).get(set).iterator().next(), SegmentValues.SLOTS),
                "a slotted value is claimed again even when the set is full");
    }
}
