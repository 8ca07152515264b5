package io.splitline.ingest;

import io.splitline.aggregate.DynamoDbAggregateReader;
import static io.splitline.ingest.IngestGroundTruthTest.CLOCK;
import static io.splitline.ingest.StreamIngest.RETENTION;
import static io.splitline.ingest.IngestGroundTruthTest.assertAggregatesEqualGroundTruth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.AggregateReader;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.devkit.ResendSchedule;
import io.splitline.devkit.StoredKeys;
import io.splitline.json.Json;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.stats.MetricAggregate;
import io.splitline.store.TableNames;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Keyless events (no {@code key}): each counts exactly once in every active experiment where its unit
 * was exposed as of the event's timestamp, and nowhere else. Units are exposed to random subsets of three
 * experiments at random times, keyless events fall before and after those times, and every event is
 * re-sent; the aggregates must equal a plain-Java ground truth, the stored events must be exactly the
 * distinct keyless events, each once, and the answers must add up. Also with the same event ids in
 * concurrent requests. On design B a keyless event is stored once ({@code *#<eventId>} in its unit's
 * partition) and the fold splits it into its shares; a keyed and a keyless event of the same id are two
 * events ({@link #anEventSentKeyedAndKeyless_isTwoEvents}).
 */
@ExtendWith(DynamoDbLocalExtension.class)
class KeylessFanOutTest {
    private static final List<String> KEYS = List.of("kl-a", "kl-b", "kl-c");
    private static final Instant NOW = SimulatedTraffic.NOW;

    /** Exposures (keyed) and keyless metric events of several experiments, with what they must come to. */
    static final class Scenario {
        final SimulatedTraffic truth = new SimulatedTraffic();
        final List<ObjectNode> exposures = new ArrayList<>();
        final List<ObjectNode> keyless = new ArrayList<>();
        /** Stored raw keyless events that must exist: {@code *#eventId}. */
        final Set<String> keylessIds = new TreeSet<>();
        int countable;

        Scenario(long seed, String prefix, int units, int events) {
            Random random = new Random(seed);
            Map<String, List<String>> variants = new TreeMap<>();
            // key → unit → exposure time
            Map<String, Map<String, Instant>> exposedAt = new TreeMap<>();
            for (String base : KEYS) {
                String key = prefix + base;
                List<String> arms = base.endsWith("b") ? List.of("control", "b", "c") : List.of("control", "treatment");
                variants.put(key, arms);
                truth.targets.put(key, new IngestTarget(key, IngestTarget.EXPERIMENT_SCOPE, true,
                        unit -> SimulatedTraffic.armOf(unit, arms), Set.of()));
                exposedAt.put(key, new TreeMap<>());
                for (int u = 0; u < units; u++) {
                    if (random.nextDouble() < 0.6) {
                        Instant at = NOW.minus(Duration.ofMinutes(60 + random.nextInt(180)));
                        exposedAt.get(key).put("user-" + u, at);
                        exposures.add(event(key + "-x-" + u, key, "user-" + u, null, null, at));
                    }
                }
            }
            // key → unit → metric → total
            Map<String, Map<String, Map<String, BigDecimal>>> totals = new TreeMap<>();
            for (int i = 0; i < events; i++) {
                String unit = "user-" + random.nextInt(units);
                String metric = SimulatedTraffic.METRICS.get(random.nextInt(SimulatedTraffic.METRICS.size()));
                BigDecimal value = BigDecimal.valueOf(random.nextInt(20_000) - 5_000, 2);
                Instant at = NOW.minus(Duration.ofMinutes(random.nextInt(300)));
                String eventId = prefix + "k-" + i;
                keyless.add(event(eventId, null, unit, metric, value, at));
                keylessIds.add("*#" + eventId);
                boolean counts = false;
                for (String key : exposedAt.keySet()) {
                    Instant exposed = exposedAt.get(key).get(unit);
                    if (exposed != null && !exposed.isAfter(at)) {
                        totals.computeIfAbsent(key, k -> new HashMap<>()).computeIfAbsent(unit, u -> new HashMap<>())
                                .merge(metric, value, BigDecimal::add);
                        counts = true;
                    }
                }
                countable += counts ? 1 : 0;
            }
            exposedAt.forEach((key, units0) -> {
                Map<String, VariantAggregates> perVariant = new TreeMap<>();
                for (String variant : variants.get(key)) {
                    long count = 0;
                    Map<String, MetricAggregate> metrics = new HashMap<>();
                    for (String unit : units0.keySet()) {
                        if (!SimulatedTraffic.armOf(unit, variants.get(key)).orElseThrow().equals(variant)) {
                            continue;
                        }
                        count++;
                        totals.getOrDefault(key, Map.of()).getOrDefault(unit, Map.of()).forEach((metric, x) ->
                                metrics.merge(metric, new MetricAggregate(x.signum() > 0 ? 1 : 0, x, x.multiply(x)), MetricAggregate::plus));
                    }
                    perVariant.put(variant, new VariantAggregates(variant, count, metrics));
                }
                truth.expected.put(key, perVariant);
            });
            Collections.shuffle(exposures, random);
            Collections.shuffle(keyless, random);
        }

        IngestTargets targets() {
            return new IngestTargets() {
                @Override
                public Optional<IngestTarget> find(String key) {
                    return Optional.ofNullable(truth.targets.get(key));
                }

                @Override
                public List<IngestTarget> active() {
                    return List.copyOf(truth.targets.values());
                }
            };
        }

        StreamIngest service(LocalTables local, DynamoDbClient client) {
            return new StreamIngest(local, client, targets(), d -> { }, CLOCK);
        }
    }

    static ObjectNode event(String eventId, String key, String unit, String metric, BigDecimal value, Instant at) {
        ObjectNode e = Json.object();
        e.put("eventId", eventId);
        if (key != null) {
            e.put("key", key);
        }
        e.put("unitId", unit);
        if (metric == null) {
            e.put("type", "exposure");
        } else {
            e.put("metric", metric);
            e.put("value", value);
        }
        e.put("timestamp", at.toString());
        return e;
    }

    static IngestResult send(StreamIngest service, List<ObjectNode> events) {
        ObjectNode body = Json.object();
        body.putArray("events").addAll(events);
        return service.send(body);
    }

    @Test
    void keylessEvents_countOnceInEveryExperimentTheUnitWasExposedTo_asOfTheirTimestamp(LocalTables local) {
        Scenario s = new Scenario(13, "seq-", 80, 700);
        TableNames tables = TableNames.fromLogicalIds(local.names());
        StreamIngest service = s.service(local, local.client());
        Random random = new Random(5);
        for (int from = 0; from < s.exposures.size(); from += 100) {
            send(service, s.exposures.subList(from, Math.min(s.exposures.size(), from + 100)));
        }
        // every keyless event 1-3 times, copies in random batches, some in the same batch
        List<ObjectNode> copies = new ArrayList<>();
        for (ObjectNode e : s.keyless) {
            for (int c = 1 + random.nextInt(3); c > 0; c--) {
                copies.add(e);
            }
        }
        Collections.shuffle(copies, random);

        int accepted = 0;
        int duplicates = 0;
        int ignored = 0;
        for (int from = 0; from < copies.size(); ) {
            int size = 1 + random.nextInt(250);
            IngestResult r = send(service, copies.subList(from, Math.min(copies.size(), from + size)));
            assertEquals(List.of(), r.rejected());
            accepted += r.accepted();
            duplicates += r.duplicates();
            ignored += r.ignored();
            from += size;
        }

        service.drain();

        assertTrue(s.countable > 100 && s.countable < s.keyless.size(), "some keyless events count, some do not: " + s.countable);
        assertAggregatesEqualGroundTruth(s.truth, new DynamoDbAggregateReader(local.client(), tables.aggregates()));
        assertEquals(s.keyless.size(), accepted, "accepted = distinct keyless events (stored; the fold decides where they count)");
        assertEquals(copies.size(), accepted + duplicates + ignored, "every copy is answered once");
        assertEquals(s.keylessIds, StoredKeys.withPrefix(local.client(), tables.events(), EventTable.SK, "*#seq-k-"),
                "each keyless event stored once");
    }

    @Test
    void theSameKeylessEventsInConcurrentRequests_areCountedOnceInEachExperiment(LocalTables local) throws Exception {
        assertExactlyOnceInConcurrentRequests(local, local.client(), "cc-");
    }

    private static void assertExactlyOnceInConcurrentRequests(LocalTables local, DynamoDbClient dynamo, String prefix) throws Exception {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        for (int seed = 1; seed <= 2; seed++) {
            String p = prefix + seed + "-";
            Scenario s = new Scenario(seed, p, 30, 250);
            Random random = new Random(seed);
            ResendSchedule<ObjectNode> schedule = new ResendSchedule<ObjectNode>(ConcurrentResendTest.CLIENTS)
                    .then(s.exposures, 30, random)
                    .then(s.keyless, 100, random);
            AtomicInteger recordedBefore503 = new AtomicInteger();

            int accepted = schedule.run(client -> {
                StreamIngest service = s.service(local, dynamo);
                return request -> {
                    for (int attempt = 0; attempt < ConcurrentResendTest.MAX_SENDS; attempt++) {
                        try {
                            IngestResult r = send(service, request);
                            // the exposures' answers are not part of the keyless count
                            return request.get(0).has("key") ? 0 : r.accepted();
                        } catch (IngestContentionException busy) {
                            if (!request.get(0).has("key")) {
                                recordedBefore503.addAndGet(busy.recorded());
                            }
                        }
                    }
                    throw new AssertionError("still 503 after " + ConcurrentResendTest.MAX_SENDS + " sends of one batch");
                };
            });

            s.service(local, local.client()).drain();

            assertAggregatesEqualGroundTruth(s.truth, new DynamoDbAggregateReader(local.client(), tables.aggregates()));
            assertEquals(s.keylessIds, StoredKeys.withPrefix(local.client(), tables.events(), EventTable.SK, "*#" + p + "k-"),
                    p + ": stored keyless events");
            assertEquals(s.keyless.size(), accepted + recordedBefore503.get(), p + ": every keyless event accepted once");
        }
    }

    @Test
    void answers_forFanOut(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        Scenario s = new Scenario(1, "ans-", 0, 0); // three experiments, no traffic
        StreamIngest service = s.service(local, local.client());
        ExposureRecorder assign = new ExposureRecorder(new DynamoDbRawEventStore(local.client(), tables, RETENTION, CLOCK), CLOCK);
        // Given a unit that /assign tracked in two of the three experiments (now), and no other exposure
        assign.record(List.of(
                new ExposureRecorder.Exposure(new UnitRef("ans-kl-a", IngestTarget.EXPERIMENT_SCOPE, "u1"), "control"),
                new ExposureRecorder.Exposure(new UnitRef("ans-kl-c", IngestTarget.EXPERIMENT_SCOPE, "u1"), "treatment")), Map.of());
        ObjectNode later = event("e1", null, "u1", "purchase", BigDecimal.ONE, NOW.plusSeconds(5));
        ObjectNode earlier = event("e2", null, "u1", "purchase", BigDecimal.ONE, NOW.minusSeconds(5));
        ObjectNode stranger = event("e3", null, "nobody", "purchase", BigDecimal.ONE, NOW);

        // When each is sent, the first one twice in its batch, then everything again, then the stream is folded
        IngestResult first = send(service, List.of(later, later, earlier, stranger));
        IngestResult again = send(service, List.of(later, earlier, stranger));
        service.drain();

        // Then: all three stored once (the fold decides where they count), the repeats duplicates
        assertEquals(new IngestResult(3, 1, 0, List.of()), first);
        assertEquals(new IngestResult(0, 3, 0, List.of()), again);
        AggregateReader reader = new DynamoDbAggregateReader(local.client(), tables.aggregates());
        // (the fold places the unit in its arm by the experiment's hash, whatever arm the test named)
        assertEquals(0, BigDecimal.ONE.compareTo(purchases(reader, "ans-kl-a")), "counted once where exposed before it, not before the exposure");
        assertEquals(0, BigDecimal.ONE.compareTo(purchases(reader, "ans-kl-c")));
        assertTrue(reader.read("ans-kl-b", "-").isEmpty(), "not counted where the unit was never exposed");
    }

    /** The experiment's Σ purchase over all its arms. */
    private static BigDecimal purchases(AggregateReader reader, String key) {
        return reader.read(key, "-").values().stream().map(v -> v.metric("purchase").sum()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void keylessEvents_withNoActiveExperiment_areIgnoredAndNotStored(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        StreamIngest service = new StreamIngest(local, key -> Optional.empty(), d -> { }, CLOCK);

        IngestResult result = send(service, List.of(event("none-1", null, "u1", "purchase", BigDecimal.ONE, NOW)));

        assertEquals(new IngestResult(0, 0, 1, List.of()), result);
        assertEquals(Set.of(), StoredKeys.withPrefix(local.client(), tables.events(), EventTable.SK, "*#none-"));
    }

    /**
     * Design B's rule (docs/api.md#events): an event's identity is (unit, key, eventId), or (unit, eventId) when
     * keyless, so the same id sent keyed to K and keyless is two events and counts twice in K; the same key and
     * id for two units is two events.
     */
    @Test
    void anEventSentKeyedAndKeyless_isTwoEvents(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        Scenario s = new Scenario(1, "two-", 0, 0);
        StreamIngest service = s.service(local, local.client());
        send(service, List.of(event("x", "two-kl-a", "u1", null, null, NOW.minusSeconds(60)),
                event("x", "two-kl-a", "u2", null, null, NOW.minusSeconds(60))));

        IngestResult result = send(service, List.of(event("same", "two-kl-a", "u1", "purchase", BigDecimal.ONE, NOW),
                event("same", null, "u1", "purchase", BigDecimal.ONE, NOW),
                event("same", "two-kl-a", "u2", "purchase", BigDecimal.ONE, NOW)));
        service.drain();

        assertEquals(new IngestResult(3, 0, 0, List.of()), result);
        Map<String, VariantAggregates> stored = new DynamoDbAggregateReader(local.client(), tables.aggregates()).read("two-kl-a", "-");
        BigDecimal total = stored.values().stream().map(v -> v.metric("purchase").sum()).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, new BigDecimal(3).compareTo(total), "u1 counts its keyed and its keyless 'same', u2 its own: " + total);
    }

    @Test
    void aKeylessExposure_isRejectedNamingTheKeyField() {
        ObjectNode body = Json.object();
        body.putArray("events").add(event("x1", null, "u1", null, null, NOW));

        EventBatch batch = EventBatch.parse(body, NOW);

        assertEquals(1, batch.rejections().size());
        assertEquals("events[0].key", batch.rejections().get(0).field());
        assertTrue(batch.rejections().get(0).message().contains("required on an exposure"), batch.rejections().get(0).message());
    }
}
