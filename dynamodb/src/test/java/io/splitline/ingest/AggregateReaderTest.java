package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.AggregateReader;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.store.TableNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * {@link AggregateReader} queries its shards in parallel: whatever the parallelism, and with reads of the
 * same experiment in flight together, it returns exactly the ground truth (and what the one-by-one read
 * returns), and a failing query surfaces as the SDK's own exception.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class AggregateReaderTest {

    @Test
    void everyParallelism_readsExactlyTheGroundTruth(LocalTables local) {
        SimulatedTraffic traffic = ingested(local);
        TableNames tables = TableNames.fromLogicalIds(local.names());
        Map<String, VariantAggregates> oneByOne = new DynamoDbAggregateReader(local.client(), tables.aggregates(), 1)
                .read("exp-a", IngestTarget.EXPERIMENT_SCOPE);
        for (int parallelism = 1; parallelism <= 2 * DynamoDbAggregateReader.PARALLELISM - 1; parallelism++) {
            AggregateReader reader = new DynamoDbAggregateReader(local.client(), tables.aggregates(), parallelism);
            IngestGroundTruthTest.assertAggregatesEqualGroundTruth(traffic, reader);
            assertEquals(oneByOne, reader.read("exp-a", IngestTarget.EXPERIMENT_SCOPE), "parallelism " + parallelism);
        }
    }

    @Test
    void readsOfTheSameExperimentInFlightTogether_allGetTheGroundTruth(LocalTables local) throws Exception {
        SimulatedTraffic traffic = ingested(local);
        AggregateReader reader = new DynamoDbAggregateReader(local.client(), TableNames.fromLogicalIds(local.names()).aggregates());
        int readers = 6;
        ExecutorService callers = Executors.newFixedThreadPool(readers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> reads = new ArrayList<>();
            for (int i = 0; i < readers; i++) {
                reads.add(callers.submit(() -> {
                    start.await();
                    for (int n = 0; n < 5; n++) {
                        IngestGroundTruthTest.assertAggregatesEqualGroundTruth(traffic, reader);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> read : reads) {
                read.get();
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aFailingQuery_throwsTheSdkException(LocalTables local) {
        for (int parallelism : new int[] {1, DynamoDbAggregateReader.PARALLELISM}) {
            AggregateReader reader = new DynamoDbAggregateReader(local.client(), "no-such-table", parallelism);
            assertThrows(ResourceNotFoundException.class, () -> reader.read("exp-a", IngestTarget.EXPERIMENT_SCOPE));
        }
    }

    @Test
    void aParallelismThePoolCannotServe_isRefused(LocalTables local) {
        assertThrows(IllegalArgumentException.class, () -> new DynamoDbAggregateReader(local.client(), "t", 0));
        assertThrows(IllegalArgumentException.class,
                () -> new DynamoDbAggregateReader(local.client(), "t", 2 * DynamoDbAggregateReader.PARALLELISM));
    }

    private static SimulatedTraffic ingested(LocalTables local) {
        SimulatedTraffic traffic = SimulatedTraffic.generate(5, List.of("exp-a"), 400, 1_500, 0.1);
        StreamIngest service = IngestGroundTruthTest.service(local, traffic, new ArrayList<>());
        for (ObjectNode body : SimulatedTraffic.batches(traffic.all(), 500, new Random(3))) {
            service.send(body);
        }
        service.drain();
        return traffic;
    }
}
