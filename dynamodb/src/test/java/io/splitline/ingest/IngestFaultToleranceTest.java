package io.splitline.ingest;

import static io.splitline.ingest.IngestGroundTruthTest.assertAggregatesEqualGroundTruth;
import static io.splitline.ingest.IngestGroundTruthTest.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.devkit.ResendSchedule;
import io.splitline.devkit.StoredKeys;
import io.splitline.store.TableNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Exactly-once of {@code POST /events} on design B under failure: an ingest that dies part-way through a
 * batch (before or after its k-th put reaches DynamoDB), and several ingests of overlapping batches at once;
 * then the stream drained into the fold. The engine is the real DynamoDB Local; only the client is made to
 * fail, by an SDK interceptor. (The fold's own crashes: {@code StreamAggregatorTest}, {@code StreamAggregatorDynamoDbTest}.)
 */
@ExtendWith(DynamoDbLocalExtension.class)
class IngestFaultToleranceTest {

    /** What a Lambda crash looks like to the code: the call never returns. */
    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(String message) {
            super(message);
        }
    }

    /** Fails the k-th PutItem call, either before it is sent or after DynamoDB applied it. */
    static final class CrashOnPut implements ExecutionInterceptor {
        private final int k;
        private final boolean afterApplied;
        private final AtomicInteger puts = new AtomicInteger();
        private static final ExecutionAttribute<Integer> NUMBER = new ExecutionAttribute<>("putNumber");

        CrashOnPut(int k, boolean afterApplied) {
            this.k = k;
            this.afterApplied = afterApplied;
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutItemRequest) {
                int n = puts.incrementAndGet();
                attributes.putAttribute(NUMBER, n);
                if (n == k && !afterApplied) {
                    throw new SimulatedCrash("crash before put " + k);
                }
            }
        }

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            Integer n = attributes.getAttribute(NUMBER);
            if (n != null && n == k && afterApplied) {
                throw new SimulatedCrash("crash after put " + k + " was applied");
            }
        }
    }

    /** Crashes a share of the PutItem calls at random: half before sending, half after DynamoDB applied them. */
    static final class RandomCrashes implements ExecutionInterceptor {
        private static final ExecutionAttribute<Boolean> CRASH_AFTER = new ExecutionAttribute<>("crashAfterPut");
        private final Random random;
        private final double share;
        private final AtomicInteger crashes = new AtomicInteger();

        RandomCrashes(long seed, double share) {
            this.random = new Random(seed);
            this.share = share;
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutItemRequest) {
                double draw;
                synchronized (random) {
                    draw = random.nextDouble();
                }
                if (draw < share / 2) {
                    crashes.incrementAndGet();
                    throw new SimulatedCrash("crash before a put");
                }
                attributes.putAttribute(CRASH_AFTER, draw < share);
            }
        }

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            if (Boolean.TRUE.equals(attributes.getAttribute(CRASH_AFTER))) {
                crashes.incrementAndGet();
                throw new SimulatedCrash("crash after a put was applied");
            }
        }
    }

    static DynamoDbClient client(LocalTables local, ExecutionInterceptor interceptor) {
        return DynamoDbClient.builder()
                .endpointOverride(local.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none()).addExecutionInterceptor(interceptor))
                .build();
    }

    /** The sort keys ({@code key#eventId}) of every distinct keyed event sent: design B stores each. */
    static Set<String> distinctSent(SimulatedTraffic traffic) {
        Set<String> ids = new TreeSet<>();
        for (JsonNode e : traffic.all()) {
            ids.add(e.get("key").asText() + "#" + e.get("eventId").asText());
        }
        return ids;
    }

    @Test
    void crashBeforeOrAfterAPut_thenResendingTheBatch_givesTheGroundTruth(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        for (int k : new int[] {1, 150, 330}) {
            for (boolean afterApplied : new boolean[] {false, true}) {
                String key = "crash-" + k + (afterApplied ? "-after" : "-before");
                SimulatedTraffic traffic = SimulatedTraffic.generate(5, List.of(key), 60, 300, 0.1);
                ObjectNode batch = SimulatedTraffic.batches(traffic.all(), 10_000, new Random(1)).get(0);
                StreamIngest crashing = new StreamIngest(local, client(local, new CrashOnPut(k, afterApplied)), traffic.targets(),
                        d -> { }, IngestGroundTruthTest.CLOCK);

                assertThrows(SimulatedCrash.class, () -> crashing.send(batch), key);
                IngestResult resent = service(local, traffic, new ArrayList<>()).sendAndDrain(batch);

                assertAggregatesEqualGroundTruth(traffic, new DynamoDbAggregateReader(local.client(), tables.aggregates()));
                assertEquals(traffic.sent(), resent.accepted() + resent.duplicates() + resent.ignored(), key);
                assertEquals(distinctSent(traffic), StoredKeys.withPrefix(local.client(), tables.events(), EventTable.SK, key + "#"), key);
            }
        }
    }

    @Test
    void crashesWhileTheSameEventsAreInFlightElsewhere_loseNothing(LocalTables local) throws Exception {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        for (int seed = 1; seed <= 3; seed++) {
            String key = "crashy-" + seed;
            SimulatedTraffic traffic = SimulatedTraffic.generate(seed, List.of(key), 30, 300, 0.0);
            Random random = new Random(seed);
            ResendSchedule<ObjectNode> schedule = new ResendSchedule<ObjectNode>(ConcurrentResendTest.CLIENTS)
                    .then(traffic.exposures, 30, random)
                    .then(traffic.metricEvents, 100, random);
            List<RandomCrashes> crashes = new ArrayList<>();
            long crashSeed = seed * 100L;

            schedule.run(client -> {
                // per put, not per transaction as before: a request of 100 events then fails about one send in three
                RandomCrashes injected = new RandomCrashes(crashSeed + client, 0.004);
                synchronized (crashes) {
                    crashes.add(injected);
                }
                StreamIngest crashing = new StreamIngest(local, client(local, injected), traffic.targets(), d -> { },
                        IngestGroundTruthTest.CLOCK);
                return request -> {
                    ObjectNode body = ConcurrentResendTest.body(request);
                    for (int attempt = 0; attempt < ConcurrentResendTest.MAX_SENDS; attempt++) {
                        try {
                            IngestResult result = crashing.send(body);
                            assertEquals(request.size(), result.accepted() + result.duplicates() + result.ignored());
                            return result.accepted();
                        } catch (SimulatedCrash | IngestContentionException e) {
                            // No answer, or 503: the client re-sends the same batch.
                        }
                    }
                    throw new AssertionError("no answer after " + ConcurrentResendTest.MAX_SENDS + " sends of one batch");
                };
            });
            service(local, traffic, new ArrayList<>()).drain();

            assertTrue(crashes.stream().mapToInt(c -> c.crashes.get()).sum() > 0, key + ": crashes were injected");
            assertEquals(distinctSent(traffic), StoredKeys.withPrefix(local.client(), tables.events(), EventTable.SK, key + "#"),
                    key + ": stored events");
            assertAggregatesEqualGroundTruth(traffic, new DynamoDbAggregateReader(local.client(), tables.aggregates()));
        }
    }

    @Test
    void severalIngestsOfOverlappingBatchesAtOnce_storeEveryEventOnce(LocalTables local) throws Exception {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        // Few units and many events: the threads constantly put the same items.
        SimulatedTraffic traffic = SimulatedTraffic.generate(9, List.of("hot"), 25, 1_500, 0.05);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> accepted = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Random random = new Random(100 + t);
            List<ObjectNode> bodies = SimulatedTraffic.batches(traffic.exposures, 50, random);
            bodies.addAll(SimulatedTraffic.batches(traffic.metricEvents, 50, random));
            StreamIngest service = service(local, traffic, new ArrayList<>());
            accepted.add(pool.submit(() -> {
                start.await();
                int sum = 0;
                for (ObjectNode body : bodies) {
                    sum += service.send(body).accepted();
                }
                return sum;
            }));
        }
        start.countDown();
        int total = 0;
        for (Future<Integer> f : accepted) {
            total += f.get();
        }
        pool.shutdown();
        service(local, traffic, new ArrayList<>()).drain();

        assertEquals(distinctSent(traffic).size(), total, "each distinct event accepted by exactly one ingest");
        assertAggregatesEqualGroundTruth(traffic, new DynamoDbAggregateReader(local.client(), tables.aggregates()));
    }
}
