package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.devkit.ResendSchedule;
import io.splitline.devkit.StoredKeys;
import io.splitline.ingest.EventTable;
import io.splitline.ingest.IngestTarget;
import io.splitline.json.Json;
import io.splitline.stats.MetricAggregate;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The scenario of the lost events, over HTTP against a started stack: units exposed by {@code /assign}
 * with {@code track} (the same unit by several clients at once), then metric events sent 1–4 times by
 * several clients whose requests start together, so the same event ids are in flight at once; every
 * event must be stored and counted exactly once (the stack folds the events table's stream after each call).
 * (Design A's ingest also ran under a weaker isolation played on the client side; design B's single-item
 * conditional puts are evaluated against committed data, so that hazard belonged to its transactions.)
 */
class ConcurrentResendOverHttpTest {
    static final int CLIENTS = 8;
    static final String METRIC = "revenue";
    static final String APP_KEY = "app-key-for-tests";
    static final String ADMIN_KEY = "admin-key-for-tests";
    static final LocalOptions OPTIONS = LocalOptions.parse("--port", "0", "--app-key", APP_KEY, "--admin-key", ADMIN_KEY);

    @Test
    void theSameEventsInConcurrentRequests_areEachStoredAndCountedOnce() throws Exception {
        try (LocalStack stack = LocalStack.start(OPTIONS)) {
            for (int seed = 1; seed <= 2; seed++) {
                assertExactlyOnce(stack, "http-resend-" + seed, new Random(seed));
            }
        }
    }

    static void assertExactlyOnce(LocalStack stack, String key, Random random) throws Exception {
        ApiClient admin = new ApiClient(stack.baseUri(), ADMIN_KEY);
        admin.post("/experiments", "{\"key\": \"" + key + "\", \"variants\": [{\"key\": \"control\", \"weight\": 0.5},"
                + " {\"key\": \"green\", \"weight\": 0.5}], \"metrics\": [{\"key\": \"" + METRIC + "\", \"type\": \"mean\"}]}").expect(201);
        admin.post("/experiments/" + key + "/start", null).expect(200);

        List<String> units = new ArrayList<>();
        for (int u = 0; u < 100; u++) {
            units.add("unit-" + u);
        }
        Map<String, String> variantOf = new ConcurrentHashMap<>();
        new ResendSchedule<String>(CLIENTS).then(units, 30, random).run(client -> {
            ApiClient app = new ApiClient(stack.baseUri(), APP_KEY);
            return request -> {
                for (String unit : request) {
                    JsonNode a = app.post("/assign", "{\"unitId\": \"" + unit + "\", \"keys\": [\"" + key + "\"], \"track\": true}")
                            .expect(200).get("assignments").get(key);
                    variantOf.put(unit, a.get("variant").asText());
                }
                return 0;
            };
        });

        List<ObjectNode> events = new ArrayList<>();
        Map<String, BigDecimal> totals = new TreeMap<>();
        Set<String> ids = new TreeSet<>();
        for (int i = 0; i < 600; i++) {
            String unit = units.get(random.nextInt(units.size()));
            BigDecimal value = BigDecimal.valueOf(random.nextInt(200_000) - 20_000, 2);
            events.add(Json.object().put("eventId", "m-" + i).put("key", key).put("unitId", unit)
                    .put("metric", METRIC).put("value", value).put("timestamp", Instant.now().toString()));
            totals.merge(unit, value, BigDecimal::add);
            ids.add(key + "#m-" + i);
        }
        ResendSchedule<ObjectNode> schedule = new ResendSchedule<ObjectNode>(CLIENTS).then(events, 150, random);
        assertTrue(schedule.maxRequestSize() <= 500, "requests within the batch limit");
        AtomicInteger unavailable = new AtomicInteger();

        int accepted = schedule.run(client -> {
            ApiClient app = new ApiClient(stack.baseUri(), APP_KEY);
            return request -> {
                ObjectNode body = Json.object();
                body.putArray("events").addAll(request);
                ApiClient.Response response = app.post("/events", body);
                for (int resent = 0; response.status() == 503 && resent < 20; resent++) {
                    // Contention: re-send the same batch after Retry-After, as the contract says.
                    unavailable.incrementAndGet();
                    Thread.sleep(1000L * Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow()));
                    response = app.post("/events", body);
                }
                return response.expect(200).get("accepted").asInt();
            };
        });

        Set<String> stored = StoredKeys.withPrefix(stack.dynamoDb(), stack.tables().events(), EventTable.SK, key + "#m-"); // the metric events (/assign's exposures are raw events too)
        Set<String> lost = new TreeSet<>(ids);
        lost.removeAll(stored);
        assertEquals(Set.of(), lost, key + ": events sent but never stored");
        assertEquals(ids, stored, key + ": stored events");
        assertExactlyEqual(groundTruth(variantOf, totals), new DynamoDbAggregateReader(stack.dynamoDb(), stack.tables().aggregates())
                .read(key, IngestTarget.EXPERIMENT_SCOPE), key);
        if (unavailable.get() == 0) { // after a 503 the events it recorded come back as duplicates, not accepted
            assertEquals(ids.size(), accepted, key + ": accepted = distinct events");
        } else {
            assertTrue(accepted <= ids.size(), key + ": nothing accepted twice");
        }
    }

    static void assertExactlyEqual(Map<String, VariantAggregates> expected, Map<String, VariantAggregates> actual, String key) {
        assertEquals(expected.keySet(), actual.keySet(), key + ": variants");
        expected.forEach((variant, want) -> {
            VariantAggregates got = actual.get(variant);
            String where = key + "/" + variant;
            assertEquals(want.units(), got.units(), where + " units");
            MetricAggregate w = want.metric(METRIC);
            MetricAggregate g = got.metric(METRIC);
            assertEquals(w.positiveUnits(), g.positiveUnits(), where + " positive units");
            assertEquals(0, w.sum().compareTo(g.sum()), where + " sum: want " + w.sum() + " got " + g.sum());
            assertEquals(0, w.sumSquares().compareTo(g.sumSquares()), where + " sum of squares: want " + w.sumSquares() + " got " + g.sumSquares());
        });
    }

    /** Units, and Σx, Σx² and units with a positive total of the metric, per variant: exact decimals. */
    static Map<String, VariantAggregates> groundTruth(Map<String, String> variantOf, Map<String, BigDecimal> totals) {
        Map<String, Long> units = new TreeMap<>();
        Map<String, MetricAggregate> metric = new TreeMap<>();
        variantOf.forEach((unit, variant) -> {
            units.merge(variant, 1L, Long::sum);
            BigDecimal x = totals.get(unit);
            if (x != null) {
                metric.merge(variant, new MetricAggregate(x.signum() > 0 ? 1 : 0, x, x.multiply(x)), MetricAggregate::plus);
            }
        });
        Map<String, VariantAggregates> expected = new TreeMap<>();
        units.forEach((variant, count) -> expected.put(variant, new VariantAggregates(variant, count,
                metric.containsKey(variant) ? Map.of(METRIC, metric.get(variant)) : Map.of())));
        return expected;
    }
}
