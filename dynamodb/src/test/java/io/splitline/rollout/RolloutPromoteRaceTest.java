package io.splitline.rollout;

import static io.splitline.rollout.RolloutFixtures.ADA;
import static io.splitline.rollout.RolloutFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.error.DomainException;
import io.splitline.http.ApiException;
import io.splitline.http.DomainErrors;
import io.splitline.http.ErrorCode;
import io.splitline.rollout.step.RolloutStep;
import io.splitline.rollout.step.StepOutcome;
import io.splitline.store.TableNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Promotes that are in flight together, through the real {@link RolloutService} on DynamoDB Local: all
 * name the same stage ({@code fromPercent: 5}), so exactly one may move the rollout, whatever the
 * interleaving; repeated over several trials because one interleaving proves little.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class RolloutPromoteRaceTest {
    private static final int TRIALS = 8;
    private static final int PROMOTERS = 6;

    private final MutableClock clock = new MutableClock(T0);

    @Test
    void concurrentPromotesFromOneStage_exactlyOneSucceeds(LocalTables tables) throws Exception {
        RolloutService service = new RolloutService(RolloutStores.store(tables), clock);
        for (int trial = 0; trial < TRIALS; trial++) {
            String key = "promote-race-" + trial;
            service.create(RolloutFixtures.spec(key, null), ADA);
            service.act(key, RolloutAction.START, ADA);
            List<Callable<Object>> promoters = new ArrayList<>();
            for (int i = 0; i < PROMOTERS; i++) {
                String operator = "operator-" + i;
                promoters.add(() -> service.promote(key, 5, operator));
            }

            List<Object> outcomes = runTogether(promoters);

            assertEquals(1, outcomes.stream().filter(o -> o instanceof Rollout).count(), key + ": " + outcomes);
            assertTrue(outcomes.stream().allMatch(o -> o instanceof Rollout || isConflict(o)), key + ": " + outcomes);
            assertEquals(25, service.get(key).percent(), key);
            assertEquals(1, movesFrom5(service, key), key);
        }
    }

    @Test
    void promotesRacingTheScheduledStep_moveTheRolloutOneStageOnly(LocalTables tables) throws Exception {
        RolloutService service = new RolloutService(RolloutStores.store(tables), clock);
        TableNames names = TableNames.fromLogicalIds(tables.names());
        RolloutStep step = new RolloutStep(RolloutStores.store(tables), (spec, start, now) -> {
            throw new AssertionError("no CloudWatch checks");
        }, new DynamoDbAggregateReader(tables.client(), names.aggregates()), new RolloutFixtures.RecordingEvents(), clock);
        for (int trial = 0; trial < TRIALS; trial++) {
            String key = "step-race-" + trial;
            clock.set(T0);
            service.create(RolloutFixtures.spec(key, null), ADA);
            service.act(key, RolloutAction.START, ADA);
            clock.advance(Duration.ofMinutes(31)); // the 5 % stage's 30 min bake is over: the step advances
            List<Callable<Object>> racers = new ArrayList<>();
            racers.add(() -> step.step(key));
            for (int i = 0; i < 4; i++) {
                String operator = "operator-" + i;
                racers.add(() -> service.promote(key, 5, operator));
            }

            List<Object> outcomes = runTogether(racers);

            long promoted = outcomes.stream().filter(o -> o instanceof Rollout).count();
            StepOutcome stepped = (StepOutcome) outcomes.get(0);
            long advanced = stepped.decision() == Decision.ADVANCE ? 1 : 0;
            assertEquals(1, promoted + advanced, key + ": " + outcomes);
            assertTrue(outcomes.stream().allMatch(o -> o instanceof Rollout || o instanceof StepOutcome || isConflict(o)),
                    key + ": " + outcomes);
            assertEquals(25, service.get(key).percent(), key);
            assertEquals(1, movesFrom5(service, key), key);
        }
    }

    private static boolean isConflict(Object outcome) {
        return outcome instanceof ApiException e && e.code() == ErrorCode.CONFLICT;
    }

    /** History entries that took the rollout away from 5 %: one, or a stage was skipped or applied twice. */
    private static long movesFrom5(RolloutService service, String key) {
        return service.history(key).stream().map(RolloutHistoryJson::historyEntryToJson)
                .filter(e -> e.get("fromPercent").intValue() == 5 && e.get("toPercent").intValue() != 5)
                .map(e -> e.get("toPercent").intValue())
                .peek(to -> assertEquals(25, to, key + " skipped a stage"))
                .count();
    }

    /** Starts every task at once and returns, in order, each one's result or the exception it threw. */
    private static List<Object> runTogether(List<Callable<Object>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (Callable<Object> task : tasks) {
                futures.add(pool.submit(() -> {
                    go.await();
                    try {
                        return task.call();
                    } catch (DomainException e) {
                        return DomainErrors.toApi(e);
                    }
                }));
            }
            go.countDown();
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> f : futures) {
                outcomes.add(f.get());
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }
}
