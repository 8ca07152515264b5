package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.AggregateReader;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.metrics.MetricDatum;
import io.splitline.stats.MetricAggregate;
import io.splitline.store.TableNames;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /events} on design B against a plain-Java ground truth: raw puts, the stream drained into the
 * fold, every aggregate exact.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class IngestGroundTruthTest {
    static final Clock CLOCK = Clock.fixed(SimulatedTraffic.NOW, ZoneOffset.UTC);

    static StreamIngest service(LocalTables local, SimulatedTraffic traffic, List<MetricDatum> emitted) {
        return new StreamIngest(local, traffic.targets(), d -> {
            synchronized (emitted) {
                emitted.add(d);
            }
        }, CLOCK);
    }

    /** Every aggregate equals the plain-Java ground truth, exactly (DynamoDB numbers are decimal). */
    static void assertAggregatesEqualGroundTruth(SimulatedTraffic traffic, AggregateReader reader) {
        traffic.expected.forEach((key, variants) -> {
            Map<String, VariantAggregates> actual = reader.read(key, IngestTarget.EXPERIMENT_SCOPE);
            variants.forEach((variant, want) -> {
                VariantAggregates got = actual.getOrDefault(variant, new VariantAggregates(variant, 0, Map.of()));
                assertEquals(want.units(), got.units(), key + "/" + variant + " units");
                for (String metric : SimulatedTraffic.METRICS) {
                    MetricAggregate w = want.metric(metric);
                    MetricAggregate g = got.metric(metric);
                    String where = key + "/" + variant + "/" + metric;
                    assertEquals(w.positiveUnits(), g.positiveUnits(), where + " positive units");
                    assertEquals(0, w.sum().compareTo(g.sum()), where + " sum: want " + w.sum() + " got " + g.sum());
                    assertEquals(0, w.sumSquares().compareTo(g.sumSquares()),
                            where + " sum of squares: want " + w.sumSquares() + " got " + g.sumSquares());
                }
            });
            assertTrue(variants.keySet().containsAll(actual.keySet()), key + " has unexpected variants " + actual.keySet());
        });
    }

    @Test
    void twentyThousandEventsInRandomBatches_giveExactlyTheGroundTruthAggregates(LocalTables local) {
        SimulatedTraffic traffic = SimulatedTraffic.generate(42, List.of("exp-a", "exp-b"), 2_000, 9_000, 0.1);
        assertTrue(traffic.sent() >= 20_000, "sends " + traffic.sent() + " events");
        TableNames tables = TableNames.fromLogicalIds(local.names());
        List<MetricDatum> emitted = new ArrayList<>();
        StreamIngest service = service(local, traffic, emitted);
        Random random = new Random(7);

        int accepted = 0;
        int duplicates = 0;
        int ignored = 0;
        List<ObjectNode> bodies = SimulatedTraffic.batches(traffic.exposures, 500, random);
        bodies.addAll(SimulatedTraffic.batches(traffic.metricEvents, 500, random));
        for (ObjectNode body : bodies) {
            IngestResult result = service.send(body);
            assertEquals(List.of(), result.rejected());
            accepted += result.accepted();
            duplicates += result.duplicates();
            ignored += result.ignored();
        }
        assertEquals(traffic.distinctCountable + traffic.distinctIgnored, service.drain(), "the stream carries each stored event once");

        assertAggregatesEqualGroundTruth(traffic, new DynamoDbAggregateReader(local.client(), tables.aggregates()));
        // design B stores a metric event whose unit is not exposed (yet): accepted, counted nowhere by the fold
        assertEquals(traffic.distinctCountable + traffic.distinctIgnored, accepted, "accepted = distinct events");
        assertEquals(traffic.sent(), accepted + duplicates + ignored, "every event is accounted for once");
        double emittedRefunds = emitted.stream().mapToDouble(d -> d.values().size()).sum();
        assertTrue(emittedRefunds > 0 && emitted.stream().allMatch(d -> d.name().equals("refund")),
                "only the guardrail metric is emitted as EMF");
    }

    @Test
    void theSameBatchSentAgain_countsNothingTwice(LocalTables local) {
        SimulatedTraffic traffic = SimulatedTraffic.generate(3, List.of("exp-a"), 100, 400, 0.0);
        TableNames tables = TableNames.fromLogicalIds(local.names());
        StreamIngest service = service(local, traffic, new ArrayList<>());
        List<ObjectNode> bodies = SimulatedTraffic.batches(traffic.all(), 500, new Random(1));

        int firstAccepted = 0;
        for (ObjectNode body : bodies) {
            firstAccepted += service.sendAndDrain(body).accepted();
        }
        int secondAccepted = 0;
        int secondDuplicates = 0;
        for (ObjectNode body : bodies) {
            IngestResult again = service.send(body);
            secondAccepted += again.accepted();
            secondDuplicates += again.duplicates();
        }

        assertEquals(0, service.drain(), "a re-send puts nothing on the stream");
        int distinct = traffic.distinctCountable + traffic.distinctIgnored;
        assertEquals(distinct, firstAccepted);
        assertEquals(0, secondAccepted);
        assertEquals(distinct, secondDuplicates);
        assertAggregatesEqualGroundTruth(traffic, new DynamoDbAggregateReader(local.client(), tables.aggregates()));
    }

    @Test
    void oneUnitWithHundredsOfEventsInManyRequests_isCountedExactly(LocalTables local) {
        SimulatedTraffic traffic = SimulatedTraffic.generate(11, List.of("exp-a"), 1, 450, 0.2);
        assertEquals(1, traffic.exposures.stream().map(e -> e.get("eventId").asText()).distinct().count(), "the unit is exposed");
        TableNames tables = TableNames.fromLogicalIds(local.names());
        StreamIngest service = service(local, traffic, new ArrayList<>());
        List<ObjectNode> all = traffic.all();
        Collections.shuffle(all.subList(traffic.exposures.size(), all.size()), new Random(2));

        for (ObjectNode body : SimulatedTraffic.batches(all, 500, new Random(5))) {
            service.send(body);
        }
        service.drain();

        assertAggregatesEqualGroundTruth(traffic, new DynamoDbAggregateReader(local.client(), tables.aggregates()));
    }
}
