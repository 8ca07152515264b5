package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.devkit.ResendSchedule;
import io.splitline.devkit.UncommittedPutsVisible;
import io.splitline.store.TableNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@ExtendWith(DynamoDbLocalExtension.class)
class ExposureRecorderTest {

    static List<ExposureRecorder.Exposure> exposures(String key, int units) {
        List<ExposureRecorder.Exposure> list = new ArrayList<>();
        for (int u = 0; u < units; u++) {
            list.add(new ExposureRecorder.Exposure(new UnitRef(key, IngestTarget.EXPERIMENT_SCOPE, "user-" + u),
                    u % 3 == 0 ? "control" : "green"));
        }
        return list;
    }

    static Map<String, Long> unitCounts(LocalTables local, String key) {
        Map<String, VariantAggregates> totals = new DynamoDbAggregateReader(local.client(), local.name("AggregatesTable"))
                .read(key, IngestTarget.EXPERIMENT_SCOPE);
        return Map.of("control", totals.get("control").units(), "green", totals.get("green").units());
    }

    @Test
    void anAssignsCovariates_enterTheSumsOnceAtFirstExposure(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        ExposureRecorder recorder = new ExposureRecorder(new DynamoDbIngestStore(local.client(), tables, IngestGroundTruthTest.RETENTION),
                IngestGroundTruthTest.CLOCK);
        UnitRef unit = new UnitRef("assign-cov", IngestTarget.EXPERIMENT_SCOPE, "user-1");
        recorder.record(List.of(new ExposureRecorder.Exposure(unit, "control", Map.of("revenue", new java.math.BigDecimal("4")))));
        new ExposureRecorder(new DynamoDbIngestStore(local.client(), tables, IngestGroundTruthTest.RETENTION), IngestGroundTruthTest.CLOCK)
                .record(List.of(new ExposureRecorder.Exposure(unit, "control", Map.of("revenue", new java.math.BigDecimal("9")))));

        VariantAggregates control = new DynamoDbAggregateReader(local.client(), tables.aggregates()).read("assign-cov", IngestTarget.EXPERIMENT_SCOPE)
                .get("control");
        assertEquals(1, control.units());
        assertEquals(0, new java.math.BigDecimal("4").compareTo(control.covariates().get("revenue").sumX()), "the first exposure's x, once");
        assertEquals(0, new java.math.BigDecimal("16").compareTo(control.covariates().get("revenue").sumXSquares()));
        assertEquals(Map.of("revenue", new java.math.BigDecimal("4")),
                new DynamoDbIngestStore(local.client(), tables, IngestGroundTruthTest.RETENTION).loadUnits(List.of(unit)).get(unit).covariates());
    }

    @Test
    void repeatedAndConcurrentFirstExposures_countEachUnitOnce(LocalTables local) throws Exception {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        List<ExposureRecorder.Exposure> all = exposures("checkout", 300);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> created = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            // Each thread is a separate container (its own memory of recorded units) repeating calls.
            ExposureRecorder recorder = new ExposureRecorder(new DynamoDbIngestStore(local.client(), tables, IngestGroundTruthTest.RETENTION),
                    IngestGroundTruthTest.CLOCK);
            List<ExposureRecorder.Exposure> mine = new ArrayList<>(all);
            mine.addAll(all.subList(0, 100));
            Collections.shuffle(mine, new Random(t));
            created.add(pool.submit(() -> {
                start.await();
                int sum = 0;
                for (int from = 0; from < mine.size(); from += 7) {
                    sum += recorder.record(mine.subList(from, Math.min(mine.size(), from + 7)));
                }
                return sum;
            }));
        }
        start.countDown();
        int total = 0;
        for (Future<Integer> f : created) {
            total += f.get();
        }
        pool.shutdown();

        assertEquals(300, total, "each unit is first exposed exactly once");
        assertEquals(Map.of("control", 100L, "green", 200L), unitCounts(local, "checkout"));
    }

    @Test
    void firstExposuresInFlightTogether_underConditionsThatSeeUncommittedPuts_countEveryUnitOnce(LocalTables local) throws Exception {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        UncommittedPutsVisible weakIsolation = new UncommittedPutsVisible();
        DynamoDbClient dynamo = IngestFaultToleranceTest.client(local, weakIsolation);
        ResendSchedule<ExposureRecorder.Exposure> schedule = new ResendSchedule<ExposureRecorder.Exposure>(8)
                .then(exposures("checkout", 300), 20, new Random(3));

        int created = schedule.run(client -> {
            // Each client is a separate container, with its own memory of recorded units.
            ExposureRecorder recorder = new ExposureRecorder(new DynamoDbIngestStore(dynamo, tables, IngestGroundTruthTest.RETENTION),
                    IngestGroundTruthTest.CLOCK);
            return recorder::record;
        });

        assertTrue(weakIsolation.cancelled() > 0, "transactions saw uncommitted puts");
        assertEquals(300, created, "each unit is first exposed exactly once");
        assertEquals(Map.of("control", 100L, "green", 200L), unitCounts(local, "checkout"));
    }

    @Test
    void theSameUnitTwiceInOneCall_countsOnce(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        List<ExposureRecorder.Exposure> twice = new ArrayList<>(exposures("checkout", 3));
        twice.addAll(exposures("checkout", 3));

        int created = new ExposureRecorder(new DynamoDbIngestStore(local.client(), tables, IngestGroundTruthTest.RETENTION),
                IngestGroundTruthTest.CLOCK).record(twice);

        assertEquals(3, created);
        assertEquals(Map.of("control", 1L, "green", 2L), unitCounts(local, "checkout"));
    }

    @Test
    void crashAfterTheCommitWasApplied_thenRetry_doesNotCountAgain(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        List<ExposureRecorder.Exposure> batch = exposures("checkout", 30);
        ExposureRecorder crashing = new ExposureRecorder(new DynamoDbIngestStore(
                IngestFaultToleranceTest.client(local, new IngestFaultToleranceTest.CrashOnCommit(1, true)), tables,
                IngestGroundTruthTest.RETENTION), IngestGroundTruthTest.CLOCK);

        assertThrows(IngestFaultToleranceTest.SimulatedCrash.class, () -> crashing.record(batch));
        int createdOnRetry = new ExposureRecorder(new DynamoDbIngestStore(local.client(), tables, IngestGroundTruthTest.RETENTION),
                IngestGroundTruthTest.CLOCK).record(batch);

        assertEquals(0, createdOnRetry);
        assertEquals(Map.of("control", 10L, "green", 20L), unitCounts(local, "checkout"));
    }
}
