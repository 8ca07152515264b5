package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.ingest.IngestTarget;
import io.splitline.json.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Calls that end together share a drain of the stream ({@link LocalStreamFold}), yet each call's events are
 * counted when its own answer comes back: clients sending {@code POST /events} at once, each call after call,
 * find each event in the aggregates as soon as its call is answered.
 */
class LocalStreamFoldTest {
    static final int CLIENTS = 8;
    /** Calls per client; values are at most 1e9, so the bits of 8 clients' 3 calls (2^23 at most) fit. */
    static final int CALLS = 3;
    static final String KEY = "fold-together";
    static final String METRIC = "revenue";
    static final LocalOptions OPTIONS = LocalOptions.parse("--port", "0", "--app-key", "app-key-for-tests",
            "--admin-key", "admin-key-for-tests");

    @Test
    void concurrentCalls_eachFindTheirEventCountedWhenAnswered() throws Exception {
        try (LocalStack stack = LocalStack.start(OPTIONS)) {
            ApiClient admin = new ApiClient(stack.baseUri(), "admin-key-for-tests");
            ApiClient app = new ApiClient(stack.baseUri(), "app-key-for-tests");
            admin.post("/experiments", "{\"key\": \"" + KEY + "\", \"variants\": [{\"key\": \"control\", \"weight\": 0.5},"
                    + " {\"key\": \"green\", \"weight\": 0.5}], \"metrics\": [{\"key\": \"" + METRIC + "\", \"type\": \"mean\"}]}").expect(201);
            admin.post("/experiments/" + KEY + "/start", null).expect(200);
            for (int client = 0; client < CLIENTS; client++) {
                app.post("/assign", "{\"unitId\": \"unit-" + client + "\", \"keys\": [\"" + KEY + "\"], \"track\": true}").expect(200);
            }
            DynamoDbAggregateReader aggregates = new DynamoDbAggregateReader(stack.dynamoDb(), stack.tables().aggregates());
            Queue<String> missing = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            try {
                // each event's value is its own bit of the metric's total, so a total shows which events it holds;
                // each client sends its calls back to back, so calls end all through the drains of the others
                CountDownLatch gate = new CountDownLatch(1);
                List<Future<?>> clients = new ArrayList<>();
                for (int client = 0; client < CLIENTS; client++) {
                    int first = client * CALLS;
                    String unit = "unit-" + client;
                    clients.add(pool.submit(() -> {
                        gate.await();
                        for (int bit = first; bit < first + CALLS; bit++) {
                            int accepted = app.post("/events", Json.object().set("events", Json.array().add(Json.object()
                                    .put("eventId", "e-" + bit).put("key", KEY).put("unitId", unit).put("metric", METRIC)
                                    .put("value", new BigDecimal(BigInteger.ONE.shiftLeft(bit))).put("timestamp", Instant.now().toString()))))
                                    .expect(200).get("accepted").asInt();
                            if (accepted != 1 || !total(aggregates.read(KEY, IngestTarget.EXPERIMENT_SCOPE)).testBit(bit)) {
                                missing.add("e-" + bit);
                            }
                        }
                        return null;
                    }));
                }
                gate.countDown();
                for (Future<?> client : clients) {
                    client.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(List.of(), List.copyOf(missing), "events not yet counted when their call was answered");
            assertEquals(BigInteger.ONE.shiftLeft(CLIENTS * CALLS).subtract(BigInteger.ONE),
                    total(aggregates.read(KEY, IngestTarget.EXPERIMENT_SCOPE)), "every event counted once");
        }
    }

    private static BigInteger total(Map<String, VariantAggregates> variants) {
        return variants.values().stream().map(v -> v.metric(METRIC).sum()).reduce(BigDecimal.ZERO, BigDecimal::add)
                .toBigIntegerExact();
    }
}
