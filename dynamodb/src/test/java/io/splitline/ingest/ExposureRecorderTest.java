package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.devkit.ResendSchedule;
import io.splitline.store.TableNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code /assign}'s tracked exposures on design B: one raw exposure put per unit and experiment, carrying
 * the request's attributes, counted by the fold from the stream once per unit whatever the repeats,
 * concurrency and crashes.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class ExposureRecorderTest {
    /** The experiment's arms, as the hash would give them: every third unit in control. */
    static final IngestTargets CHECKOUT = key -> key.equals("checkout")
            ? Optional.of(new IngestTarget("checkout", IngestTarget.EXPERIMENT_SCOPE, true,
                    unit -> Optional.of(Integer.parseInt(unit.substring("user-".length())) % 3 == 0 ? "control" : "green"), Set.of()))
            : Optional.empty();

    static List<ExposureRecorder.Exposure> exposures(String key, int units) {
        List<ExposureRecorder.Exposure> list = new ArrayList<>();
        for (int u = 0; u < units; u++) {
            list.add(new ExposureRecorder.Exposure(new UnitRef(key, IngestTarget.EXPERIMENT_SCOPE, "user-" + u),
                    u % 3 == 0 ? "control" : "green"));
        }
        return list;
    }

    static ExposureRecorder recorder(DynamoDbClient dynamo, LocalTables local) {
        return new ExposureRecorder(new DynamoDbRawEventStore(dynamo, TableNames.fromLogicalIds(local.names()), StreamIngest.RETENTION,
                IngestGroundTruthTest.CLOCK), IngestGroundTruthTest.CLOCK);
    }

    /** The units counted per arm once the stream is folded. */
    static Map<String, Long> unitCounts(LocalTables local, String key) {
        new StreamIngest(local, CHECKOUT, d -> { }, IngestGroundTruthTest.CLOCK).drain();
        Map<String, VariantAggregates> totals = new DynamoDbAggregateReader(local.client(), local.name("AggregatesTable"))
                .read(key, IngestTarget.EXPERIMENT_SCOPE);
        return Map.of("control", totals.get("control").units(), "green", totals.get("green").units());
    }

    @Test
    void anAssignsCovariates_enterTheSumsOnceAtFirstExposure(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        IngestTargets covTargets = key -> Optional.of(new IngestTarget(key, IngestTarget.EXPERIMENT_SCOPE, true,
                unit -> Optional.of("control"), Set.of()));
        UnitRef unit = new UnitRef("assign-cov", IngestTarget.EXPERIMENT_SCOPE, "user-1");
        recorder(local.client(), local).record(List.of(new ExposureRecorder.Exposure(unit, "control",
                Map.of("revenue", new java.math.BigDecimal("4")))), Map.of());
        // another container, a later call with other covariates: a duplicate put, so the first exposure's x stays
        recorder(local.client(), local).record(List.of(new ExposureRecorder.Exposure(unit, "control",
                Map.of("revenue", new java.math.BigDecimal("9")))), Map.of());
        new StreamIngest(local, covTargets, d -> { }, IngestGroundTruthTest.CLOCK).drain();

        VariantAggregates control = new DynamoDbAggregateReader(local.client(), tables.aggregates()).read("assign-cov", IngestTarget.EXPERIMENT_SCOPE)
                .get("control");
        assertEquals(1, control.units());
        assertEquals(0, new java.math.BigDecimal("4").compareTo(control.covariates().get("revenue").sumX()), "the first exposure's x, once");
        assertEquals(0, new java.math.BigDecimal("16").compareTo(control.covariates().get("revenue").sumXSquares()));
    }

    @Test
    void repeatedAndConcurrentFirstExposures_countEachUnitOnce(LocalTables local) throws Exception {
        List<ExposureRecorder.Exposure> all = exposures("checkout", 300);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> created = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            // Each thread is a separate container (its own memory of recorded units) repeating calls.
            ExposureRecorder recorder = recorder(local.client(), local);
            List<ExposureRecorder.Exposure> mine = new ArrayList<>(all);
            mine.addAll(all.subList(0, 100));
            Collections.shuffle(mine, new Random(t));
            created.add(pool.submit(() -> {
                start.await();
                int sum = 0;
                for (int from = 0; from < mine.size(); from += 7) {
                    sum += recorder.record(mine.subList(from, Math.min(mine.size(), from + 7)), Map.of());
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

        assertEquals(300, total, "each unit's exposure is stored exactly once");
        assertEquals(Map.of("control", 100L, "green", 200L), unitCounts(local, "checkout"));
    }

    @Test
    void firstExposuresInFlightTogether_countEveryUnitOnce(LocalTables local) throws Exception {
        ResendSchedule<ExposureRecorder.Exposure> schedule = new ResendSchedule<ExposureRecorder.Exposure>(8)
                .then(exposures("checkout", 300), 20, new Random(3));

        int created = schedule.run(client -> {
            // Each client is a separate container, with its own memory of recorded units.
            ExposureRecorder recorder = recorder(local.client(), local);
            return request -> recorder.record(request, Map.of());
        });

        assertEquals(300, created, "each unit's exposure is stored exactly once");
        assertEquals(Map.of("control", 100L, "green", 200L), unitCounts(local, "checkout"));
    }

    @Test
    void theSameUnitTwiceInOneCall_countsOnce_andItsItemCarriesTheAttributes(LocalTables local) {
        List<ExposureRecorder.Exposure> twice = new ArrayList<>(exposures("checkout", 3));
        twice.addAll(exposures("checkout", 3));

        int created = recorder(local.client(), local).record(twice, Map.of("country", "FR", "age", 31.0, "beta", true));

        assertEquals(3, created);
        assertEquals(Map.of("control", 1L, "green", 2L), unitCounts(local, "checkout"));
        Map<String, AttributeValue> item = local.client().getItem(b -> b.tableName(local.name("EventsTable")).consistentRead(true)
                .key(Map.of(EventTable.PK, AttributeValue.fromS("user-1"), EventTable.SK, AttributeValue.fromS("checkout#assign:-")))).item();
        assertEquals(Map.of("country", AttributeValue.fromS("FR"), "age", AttributeValue.fromS("31.0"), "beta", AttributeValue.fromS("true")),
                item.get(EventTable.ATTRIBUTES).m());
    }

    @Test
    void crashAfterThePutWasApplied_thenRetry_doesNotCountAgain(LocalTables local) {
        List<ExposureRecorder.Exposure> batch = exposures("checkout", 30);
        ExposureRecorder crashing = recorder(IngestFaultToleranceTest.client(local, new IngestFaultToleranceTest.CrashOnPut(1, true)), local);

        assertThrows(IngestFaultToleranceTest.SimulatedCrash.class, () -> crashing.record(batch, Map.of()));
        int storedOnRetry = recorder(local.client(), local).record(batch, Map.of());

        assertEquals(0, storedOnRetry, "the crashed call's puts all ended before it failed: duplicates now");
        assertEquals(Map.of("control", 10L, "green", 20L), unitCounts(local, "checkout"));
    }
}
