package io.splitline.ingest;

import static io.splitline.ingest.IngestFaultToleranceTest.distinctSent;
import static io.splitline.ingest.IngestGroundTruthTest.assertAggregatesEqualGroundTruth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.devkit.ResendSchedule;
import io.splitline.devkit.StoredKeys;
import io.splitline.json.Json;
import io.splitline.store.TableNames;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Exactly-once of design B when the same event ids are in requests that are in flight together: several
 * clients (each its own service instance, like separate Lambda containers) send every event 1–4 times, the
 * requests of a round released together by a barrier, over many seeds; then the stream is drained into the
 * fold. Once on the engine as it is, once with a share of the puts throttled, answered 503 and re-sent.
 * (Design A also ran under a weaker isolation played on the client side: a single-item conditional put is
 * evaluated against committed data, so that hazard belonged to its transactions.)
 */
@ExtendWith(DynamoDbLocalExtension.class)
class ConcurrentResendTest {
    static final int CLIENTS = 8;
    static final int SEEDS = 4;
    /** How often a client sends one batch before the test gives up on it. */
    static final int MAX_SENDS = 20;

    /** Answers a share of the PutItem calls as DynamoDB answers a throttled one, before sending it. */
    static final class ThrottledPuts implements ExecutionInterceptor {
        private final Random random = new Random(17);
        private final AtomicInteger throttled = new AtomicInteger();

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            boolean throttle;
            synchronized (random) {
                // 0.5 %: a re-sent batch puts its stored events again too (each refused as a duplicate, each
                // throttleable), so at 5 % a batch of 100 passed only if the SDK's retries absorbed nearly every
                // throttle — not once its retry quota, shared by the eight clients, ran dry (a CI run failed so).
                throttle = context.request() instanceof PutItemRequest && random.nextDouble() < 0.005;
            }
            if (throttle) {
                throttled.incrementAndGet();
                throw DynamoDbException.builder().statusCode(400).message("Rate exceeded (injected)")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException")
                                .errorMessage("Rate exceeded (injected)").build()).build();
            }
        }
    }

    @Test
    void theSameEventsInConcurrentRequests_areEachStoredAndCountedOnce(LocalTables local) throws Exception {
        assertExactlyOnceOverSeeds(local, local.client(), "resend");
    }

    @Test
    void throttledPutsAnswered503AndResent_loseNothingAndCountNothingTwice(LocalTables local) throws Exception {
        ThrottledPuts throttling = new ThrottledPuts();

        assertExactlyOnceOverSeeds(local, IngestFaultToleranceTest.client(local, throttling), "throttled");

        assertTrue(throttling.throttled.get() > 0, "puts were throttled");
    }

    /**
     * For each seed: exposures, then metric events, every event sent 1–4 times by {@link #CLIENTS} clients
     * whose requests start together; a 503 is answered by re-sending the same batch, as a client would.
     */
    static void assertExactlyOnceOverSeeds(LocalTables local, DynamoDbClient dynamo, String prefix) throws Exception {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        for (int seed = 1; seed <= SEEDS; seed++) {
            String key = prefix + "-" + seed;
            SimulatedTraffic traffic = SimulatedTraffic.generate(seed, List.of(key), 40, 250, 0.0);
            Random random = new Random(seed);
            ResendSchedule<ObjectNode> schedule = new ResendSchedule<ObjectNode>(CLIENTS)
                    .then(traffic.exposures, 30, random)
                    .then(traffic.metricEvents, 100, random);
            AtomicInteger storedBefore503 = new AtomicInteger();

            int accepted = schedule.run(client -> {
                StreamIngest service = new StreamIngest(local, dynamo, traffic.targets(), d -> { }, IngestGroundTruthTest.CLOCK);
                return request -> {
                    for (int attempt = 0; attempt < MAX_SENDS; attempt++) {
                        try {
                            return service.send(body(request)).accepted();
                        } catch (IngestContentionException busy) {
                            // 503: the client re-sends the same batch; what this attempt stored comes back as duplicates.
                            storedBefore503.addAndGet(busy.recorded());
                        }
                    }
                    throw new AssertionError("still 503 after " + MAX_SENDS + " sends of one batch");
                };
            });
            new StreamIngest(local, traffic.targets(), d -> { }, IngestGroundTruthTest.CLOCK).drain();

            Set<String> stored = StoredKeys.withPrefix(local.client(), tables.events(), EventTable.SK, key + "#");
            Set<String> lost = new TreeSet<>(distinctSent(traffic));
            lost.removeAll(stored);
            assertEquals(Set.of(), lost, key + ": events sent but never stored");
            assertEquals(distinctSent(traffic), stored, key + ": stored events");
            assertAggregatesEqualGroundTruth(traffic, new DynamoDbAggregateReader(local.client(), tables.aggregates()));
            assertEquals(distinctSent(traffic).size(), accepted + storedBefore503.get(), key + ": every distinct event accepted once");
        }
    }

    static ObjectNode body(List<ObjectNode> events) {
        ObjectNode body = Json.object();
        body.putArray("events").addAll(events);
        return body;
    }
}
