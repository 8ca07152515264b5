package io.splitline.ingest;

import static io.splitline.ingest.IngestGroundTruthTest.assertAggregatesEqualGroundTruth;
import static io.splitline.ingest.IngestGroundTruthTest.send;
import static io.splitline.ingest.IngestGroundTruthTest.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.devkit.ResendSchedule;
import io.splitline.devkit.StoredKeys;
import io.splitline.devkit.UncommittedPutsVisible;
import io.splitline.json.Json;
import io.splitline.store.TableNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Exactly-once when the same event ids are in requests that are in flight together: several clients
 * (each its own service instance, like separate Lambda containers) send every event 1–4 times, the
 * requests of a round released together by a barrier, over many seeds. Once on the engine as it is
 * (DynamoDB Local), once with a weaker isolation played on the client side ({@link UncommittedPutsVisible}),
 * under which answering "duplicate" on a failed condition alone lost events.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class ConcurrentResendTest {
    static final int CLIENTS = 8;
    static final int SEEDS = 4;
    /** How often a client sends one batch before the test gives up on it. */
    static final int MAX_SENDS = 20;

    @Test
    void theSameEventsInConcurrentRequests_areEachStoredAndCountedOnce(LocalTables local) throws Exception {
        assertExactlyOnceOverSeeds(local, local.client(), "resend");
    }

    @Test
    void evenWhenConditionsSeeUncommittedPuts_noEventIsAnsweredDuplicateUnlessStored(LocalTables local) throws Exception {
        UncommittedPutsVisible weakIsolation = new UncommittedPutsVisible();

        assertExactlyOnceOverSeeds(local, IngestFaultToleranceTest.client(local, weakIsolation), "weak");

        assertTrue(weakIsolation.cancelled() > 0, "transactions saw uncommitted puts");
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
            AtomicInteger recordedBefore503 = new AtomicInteger();

            int accepted = schedule.run(client -> {
                IngestService service = service(dynamo, tables, traffic, new ArrayList<>());
                return request -> {
                    for (int attempt = 0; attempt < MAX_SENDS; attempt++) {
                        try {
                            return send(service, body(request)).accepted();
                        } catch (IngestContentionException busy) {
                            // 503: the client re-sends the same batch; what this attempt recorded comes back as duplicates.
                            recordedBefore503.addAndGet(busy.recorded());
                        }
                    }
                    throw new AssertionError("still 503 after " + MAX_SENDS + " sends of one batch");
                };
            });

            Set<String> stored = StoredKeys.withPrefix(local.client(), tables.events(), EventTable.PK, key + "#");
            Set<String> lost = new TreeSet<>(traffic.countableIds);
            lost.removeAll(stored);
            assertEquals(Set.of(), lost, key + ": events sent but never stored");
            assertEquals(traffic.countableIds, stored, key + ": stored events");
            assertAggregatesEqualGroundTruth(traffic, new DynamoDbAggregateReader(local.client(), tables.aggregates()));
            assertEquals(traffic.distinctCountable, accepted + recordedBefore503.get(), key + ": every distinct event accepted once");
        }
    }

    static ObjectNode body(List<ObjectNode> events) {
        ObjectNode body = Json.object();
        body.putArray("events").addAll(events);
        return body;
    }
}
