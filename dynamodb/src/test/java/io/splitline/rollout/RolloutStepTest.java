package io.splitline.rollout;

import static io.splitline.http.Refusals.refused;
import static io.splitline.rollout.RolloutFixtures.ADA;
import static io.splitline.rollout.RolloutFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.devkit.MotoServer;
import io.splitline.devkit.MotoServerExtension;
import io.splitline.http.ApiException;
import io.splitline.http.ErrorCode;
import io.splitline.json.JsonValues;
import io.splitline.rollout.health.CloudWatchHealthSource;
import io.splitline.rollout.health.HealthObservations;
import io.splitline.rollout.health.HealthSource;
import io.splitline.rollout.step.RolloutDecider;
import io.splitline.rollout.step.RolloutStep;
import io.splitline.rollout.step.StepOutcome;
import io.splitline.rollout.step.StepReport;
import io.splitline.rollout.step.StepReportJson;
import io.splitline.store.HistoryEntry;
import io.splitline.store.TableNames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * The scheduled step end to end: rollouts in DynamoDB Local, health read by the real CloudWatch client
 * from moto_server, time moved by hand. Moto keeps one state per JVM, so each test watches its own
 * function name and alarm.
 */
@ExtendWith({DynamoDbLocalExtension.class, MotoServerExtension.class})
class RolloutStepTest {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final MutableClock clock = new MutableClock(T0);
    private final RolloutFixtures.RecordingEvents events = new RolloutFixtures.RecordingEvents();
    private CloudWatchClient cloudWatch;
    private String function;

    @BeforeEach
    void setUp(MotoServer moto) {
        cloudWatch = client(moto, moto.endpoint(), true);
        function = "step-test-" + SEQUENCE.incrementAndGet();
    }

    private static CloudWatchClient client(MotoServer moto, URI endpoint, boolean retries) {
        return CloudWatchClient.builder()
                .endpointOverride(endpoint)
                .region(moto.region())
                .credentialsProvider(moto.credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(retries ? AwsRetryStrategy.standardRetryStrategy()
                        : AwsRetryStrategy.doNotRetry()))
                .build();
    }

    // ---- fixtures ------------------------------------------------------------------------------

    /** The error-rate ratio of docs/rollouts.md's example (errors / invocations > 5 % in any minute) on this test's function. */
    private String ratioHealth() {
        return """
                {"ratios": [{"name": "v2-error-rate",
                  "numerator": {"namespace": "AWS/Lambda", "metricName": "Errors", "dimensions": {"FunctionName": "%1$s"}, "statistic": "Sum"},
                  "denominator": {"namespace": "AWS/Lambda", "metricName": "Invocations", "dimensions": {"FunctionName": "%1$s"}, "statistic": "Sum"},
                  "periodSeconds": 60, "comparison": "GreaterThanThreshold", "threshold": 0.05}],
                 "minimumDataPoints": 1}""".formatted(function);
    }

    private RolloutStep step(LocalTables tables, HealthSource health) {
        return new RolloutStep(RolloutStores.store(tables), health,
                new DynamoDbAggregateReader(tables.client(), TableNames.fromLogicalIds(tables.names()).aggregates()), events, clock);
    }

    private RolloutStep step(LocalTables tables) {
        return step(tables, new CloudWatchHealthSource(cloudWatch));
    }

    private Rollout started(LocalTables tables, String key, String health) {
        RolloutService service = new RolloutService(RolloutStores.store(tables), clock);
        service.create(RolloutFixtures.spec(key, health), ADA);
        return service.act(key, RolloutAction.START, ADA);
    }

    private Rollout read(LocalTables tables, String key) {
        return new RolloutService(RolloutStores.store(tables), clock).get(key);
    }

    private List<HistoryEntry> history(LocalTables tables, String key) {
        return new RolloutService(RolloutStores.store(tables), clock).history(key);
    }

    /** One data point per minute in [fromMinute, toMinute) after T0, in the middle of the minute. */
    private void seed(String metric, int fromMinute, int toMinute, double value) {
        List<MetricDatum> data = new ArrayList<>();
        for (int m = fromMinute; m < toMinute; m++) {
            data.add(MetricDatum.builder().metricName(metric)
                    .dimensions(Dimension.builder().name("FunctionName").value(function).build())
                    .timestamp(minute(m).plusSeconds(30)).value(value).build());
        }
        for (int from = 0; from < data.size(); from += 500) {
            List<MetricDatum> chunk = data.subList(from, Math.min(data.size(), from + 500));
            cloudWatch.putMetricData(b -> b.namespace("AWS/Lambda").metricData(chunk));
        }
    }

    private void healthyTraffic(int fromMinute, int toMinute) {
        seed("Invocations", fromMinute, toMinute, 100);
        seed("Errors", fromMinute, toMinute, 1);
    }

    private static Instant minute(int m) {
        return T0.plus(Duration.ofMinutes(m));
    }

    private StepOutcome runAt(RolloutStep step, Instant at, String key) {
        clock.set(at);
        StepReport report = step.run();
        return report.outcome(key).orElseThrow(() -> new AssertionError(key + " was not stepped: " + StepReportJson.toJson(report)));
    }

    // ---- scenarios -----------------------------------------------------------------------------

    @Test
    void healthyRollout_goesThroughEveryStage_respectingEachBake(LocalTables tables) {
        // given a healthy error rate (1 %) in every minute, and a rollout started at T0
        healthyTraffic(0, 240);
        started(tables, "new-ranker", ratioHealth());
        RolloutStep step = step(tables);

        // when the step runs before and at the end of every bake (5 % 30 min, then 1 h each, 100 % without bake)
        List<String> seen = new ArrayList<>();
        for (Instant at : List.of(minute(10), minute(30).minusSeconds(1), minute(30), minute(90).minusSeconds(1),
                minute(90), minute(150).minusSeconds(1), minute(150), minute(210).minusSeconds(1), minute(210),
                minute(210), minute(212))) {
            StepOutcome outcome = runAt(step, at, "new-ranker");
            seen.add(outcome.decision().json() + "@" + read(tables, "new-ranker").percent());
        }

        // then it holds while baking, advances exactly at each bake's end, and completes at 100 %
        assertEquals(List.of("hold@5", "hold@5", "advance@25", "hold@25", "advance@50", "hold@50", "advance@75",
                "hold@75", "advance@100", "hold@100", "complete@100"), seen);
        Rollout done = read(tables, "new-ranker");
        assertEquals(RolloutStatus.COMPLETED, done.status());
        assertEquals(minute(210), done.stageStartedAt());
        assertEquals(List.of(), events.rolledBack);
        List<HistoryEntry> history = history(tables, "new-ranker");
        assertEquals(2 + seen.size() - 1, history.size(), "one entry per decision, the two holds at 5 % in one");
        JsonNode holds = RolloutHistoryJson.historyEntryToJson(history.get(2));
        assertEquals(2, holds.get("count").intValue());
        assertEquals(minute(10).toString(), holds.get("at").textValue());
        assertEquals(minute(30).minusSeconds(1).toString(), holds.get("lastSeenAt").textValue());
        assertEquals(List.of(1L, 2L, 3L, 5L), history.subList(0, 4).stream().map(HistoryEntry::version).toList(),
                "the collapsed holds are versions 3 and 4");
        JsonNode advance = RolloutHistoryJson.historyEntryToJson(history.get(3));
        assertEquals("advance", advance.get("decision").textValue());
        assertEquals(5, advance.get("fromPercent").intValue());
        assertEquals(25, advance.get("toPercent").intValue());
        JsonNode ratio = advance.get("observations").get("health").get("checks").get(0);
        assertEquals("v2-error-rate", ratio.get("name").textValue());
        assertEquals(0.01, ratio.get("value").doubleValue(), 1e-12);
        assertEquals(30, ratio.get("dataPoints").intValue());
        assertEquals(RolloutDecision.STEP_ACTOR, advance.get("actor").textValue());
    }

    @Test
    void errorRatioBreachAt25Percent_rollsBackToZero_withReasonAndEvent(LocalTables tables) {
        // given a healthy first stage, then a minute with 10 % errors during the 25 % stage
        healthyTraffic(0, 45);
        seed("Invocations", 45, 46, 100);
        seed("Errors", 45, 46, 10);
        started(tables, "new-ranker", ratioHealth());
        RolloutStep step = step(tables);
        assertEquals(Decision.ADVANCE, runAt(step, minute(30), "new-ranker").decision());

        // when the step runs after the bad minute has ended
        StepOutcome outcome = runAt(step, minute(47), "new-ranker");

        // then it is rolled back to 0 %, the reason names the ratio and its value, and one event is published
        assertEquals(Decision.ROLLBACK, outcome.decision());
        Rollout rolledBack = read(tables, "new-ranker");
        assertEquals(RolloutStatus.ROLLED_BACK, rolledBack.status());
        assertEquals(0, rolledBack.percent());
        assertEquals(1, rolledBack.stageIndex());
        String reason = rolledBack.lastDecision().reason();
        assertTrue(reason.contains("unhealthy at 25%: check 'v2-error-rate' breached: 0.1 GreaterThanThreshold 0.05"), reason);
        assertEquals(25, rolledBack.lastDecision().fromPercent());
        assertEquals(0, rolledBack.lastDecision().toPercent());
        JsonNode ratio = JsonValues.node(rolledBack.lastDecision().observations()).get("health").get("checks").get(0);
        assertEquals(10.0, ratio.get("numerator").doubleValue());
        assertEquals(100.0, ratio.get("denominator").doubleValue());
        assertTrue(ratio.get("breached").booleanValue());
        assertEquals(List.of(rolledBack), events.rolledBack);
    }

    @Test
    void lateDuplicateStep_afterARollback_changesNothing(LocalTables tables) {
        healthyTraffic(0, 30);
        seed("Invocations", 30, 31, 100);
        seed("Errors", 30, 31, 50);
        Rollout started = started(tables, "new-ranker", ratioHealth());
        RolloutStep step = step(tables);
        assertEquals(Decision.ROLLBACK, runAt(step, minute(32), "new-ranker").decision());
        Rollout rolledBack = read(tables, "new-ranker");
        int entries = history(tables, "new-ranker").size();

        // when a duplicate of the same schedule runs, and a step that had read the rollout before the
        // rollback tries to write its own decision
        clock.set(minute(40));
        StepReport duplicate = step.run();
        StepOutcome direct = step.step("new-ranker");
        Rollout staleAdvance = RolloutDecider.apply(started, new RolloutDecision(minute(40), RolloutDecision.STEP_ACTOR,
                Decision.ADVANCE, 5, 25, "stale", null));
        ApiException lost = refused(
                () -> new RolloutRepository(RolloutStores.store(tables)).write(started, staleAdvance));

        // then nothing moves: no outcome for a rolled-back rollout, the direct step skips, the stale write fails
        assertEquals(List.of(), duplicate.outcomes());
        assertEquals(StepOutcome.Result.SKIPPED, direct.result());
        assertTrue(direct.detail().contains("rolled_back"), direct.detail());
        assertEquals(ErrorCode.CONFLICT, lost.code());
        assertEquals(rolledBack, read(tables, "new-ranker"));
        assertEquals(entries, history(tables, "new-ranker").size());
        assertEquals(1, events.rolledBack.size());
    }

    @Test
    void duplicateRunRightAfterAnAdvance_holds_neverAdvancingTwice(LocalTables tables) {
        healthyTraffic(0, 60);
        started(tables, "new-ranker", ratioHealth());
        RolloutStep step = step(tables);

        StepOutcome first = runAt(step, minute(30), "new-ranker");
        StepOutcome second = runAt(step, minute(30).plusMillis(400), "new-ranker");

        assertEquals(Decision.ADVANCE, first.decision());
        assertEquals(Decision.HOLD, second.decision());
        assertEquals(25, read(tables, "new-ranker").percent());
    }

    @Test
    void twoConcurrentSteps_onTheSameVersion_makeExactlyOneAdvance(LocalTables tables) throws Exception {
        // given two steps that both read the rollout before either writes (a barrier inside the health read)
        healthyTraffic(0, 60);
        started(tables, "new-ranker", ratioHealth());
        clock.set(minute(30));
        CyclicBarrier bothRead = new CyclicBarrier(2);
        CloudWatchHealthSource cloudWatchSource = new CloudWatchHealthSource(cloudWatch);
        HealthSource meetingPoint = (spec, start, now) -> {
            HealthObservations seen = cloudWatchSource.observe(spec, start, now);
            try {
                bothRead.await(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the other step never read", e);
            }
            return seen;
        };
        RolloutStep a = step(tables, meetingPoint);
        RolloutStep b = step(tables, meetingPoint);

        // when both run at once
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<StepOutcome> outcomes;
        try {
            Future<StepOutcome> fa = pool.submit(() -> a.step("new-ranker"));
            Future<StepOutcome> fb = pool.submit(() -> b.step("new-ranker"));
            outcomes = List.of(fa.get(2, TimeUnit.MINUTES), fb.get(2, TimeUnit.MINUTES));
        } finally {
            pool.shutdownNow();
        }

        // then one advanced and the other skipped: 25 %, one advance in the history
        assertEquals(1, outcomes.stream().filter(o -> o.decision() == Decision.ADVANCE).count(), outcomes.toString());
        assertEquals(1, outcomes.stream().filter(o -> o.result() == StepOutcome.Result.SKIPPED).count(), outcomes.toString());
        assertEquals(25, read(tables, "new-ranker").percent());
        assertEquals(1, history(tables, "new-ranker").stream().filter(e -> e.action().equals("advance")).count());
    }

    private void alarm(String name, StateValue state) {
        cloudWatch.putMetricAlarm(b -> b.alarmName(name)
                .namespace("AWS/ApiGateway").metricName("5XXError")
                .dimensions(Dimension.builder().name("ApiName").value(function).build())
                .statistic("Sum").period(60).evaluationPeriods(1).threshold(1.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD));
        cloudWatch.setAlarmState(b -> b.alarmName(name).stateValue(state).stateReason("set by the test: " + state));
    }

    @Test
    void alarmInAlarm_rollsBack(LocalTables tables) {
        String alarm = function + "-5xx";
        alarm(alarm, StateValue.OK);
        started(tables, "new-ranker", "{\"alarms\": [\"" + alarm + "\"]}");
        RolloutStep step = step(tables);
        assertEquals(Decision.ADVANCE, runAt(step, minute(30), "new-ranker").decision());

        alarm(alarm, StateValue.ALARM);
        StepOutcome outcome = runAt(step, minute(31), "new-ranker");

        assertEquals(Decision.ROLLBACK, outcome.decision());
        Rollout r = read(tables, "new-ranker");
        assertEquals(0, r.percent());
        assertTrue(r.lastDecision().reason().contains("alarm '" + alarm + "' is ALARM (set by the test: ALARM)"),
                r.lastDecision().reason());
        assertEquals("ALARM", JsonValues.node(r.lastDecision().observations()).get("health").get("alarms").get(0).get("state").textValue());
        assertEquals(1, events.rolledBack.size());
    }

    @Test
    void noData_holds_andNeverAdvances(LocalTables tables) {
        // given a check on a metric nobody publishes
        started(tables, "new-ranker", """
                {"metrics": [{"name": "errors", "namespace": "AWS/Lambda", "metricName": "Errors",
                              "dimensions": {"FunctionName": "%s"}, "statistic": "Sum",
                              "comparison": "GreaterThanThreshold", "threshold": 5}]}""".formatted(function));
        RolloutStep step = step(tables);

        // when the step runs long after the bake
        List<StepOutcome> outcomes = new ArrayList<>();
        for (Instant at : List.of(minute(30), minute(120), minute(60 * 24 * 3))) {
            outcomes.add(runAt(step, at, "new-ranker"));
        }

        // then every step holds, saying why
        for (StepOutcome o : outcomes) {
            assertEquals(Decision.HOLD, o.decision());
            assertTrue(o.detail().contains("check 'errors' has 0 of 1 data points"), o.detail());
        }
        Rollout r = read(tables, "new-ranker");
        assertEquals(5, r.percent());
        assertEquals(RolloutStatus.IN_PROGRESS, r.status());
        assertEquals(0, r.stageIndex());
        assertTrue(JsonValues.node(r.lastDecision().observations()).get("health").get("checks").get(0).get("value").isNull());
        // and the three identical holds are one history entry that counts them, while every hold was a version
        assertEquals(5, r.version());
        List<HistoryEntry> history = history(tables, "new-ranker");
        assertEquals(List.of("manual", "manual", "hold"), history.stream().map(HistoryEntry::action).toList());
        HistoryEntry holds = history.get(2);
        assertEquals(3, holds.count());
        assertEquals(3, holds.version());
        assertEquals(5, holds.lastVersion());
        assertEquals(minute(30), holds.at());
        assertEquals(minute(60 * 24 * 3), holds.lastSeenAt());
        assertEquals(minute(60 * 24 * 3).toString(), JsonValues.node(holds.changes()).get("observations").get("health").get("windowEnd").textValue(),
                "the entry shows the latest hold's observations");
    }

    @Test
    void aHoldForAnotherReason_orAfterAnotherDecision_startsANewEntry(LocalTables tables) {
        // given a ratio check with data from minute 0 to 29 only (minimumDataPoints 1)
        healthyTraffic(0, 29);
        started(tables, "new-ranker", ratioHealth());
        RolloutStep step = step(tables);

        // when it holds baking twice, advances, then holds for lack of data at 25 % twice
        for (Instant at : List.of(minute(5), minute(20), minute(30), minute(40), minute(50))) {
            runAt(step, at, "new-ranker");
        }

        // then: create, start, 2 baking holds, advance, 2 no-data holds
        List<HistoryEntry> history = history(tables, "new-ranker");
        assertEquals(List.of("manual", "manual", "hold", "advance", "hold"), history.stream().map(HistoryEntry::action).toList());
        assertEquals(List.of(1L, 1L, 2L, 1L, 2L), history.stream().map(HistoryEntry::count).toList());
        assertTrue(JsonValues.node(history.get(4).changes()).get("reason").textValue().contains("0 of 1 data points"),
                JsonValues.node(history.get(4).changes()).toString());
    }

    @Test
    void unreadableCloudWatch_holds_withTheReason(MotoServer moto, LocalTables tables) throws IOException {
        URI closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        started(tables, "new-ranker", ratioHealth());
        RolloutStep step = step(tables, new CloudWatchHealthSource(client(moto, closed, false)));

        StepOutcome outcome = runAt(step, minute(30), "new-ranker");

        assertEquals(Decision.HOLD, outcome.decision());
        assertTrue(outcome.detail().contains("CloudWatch could not be read"), outcome.detail());
        assertEquals(5, read(tables, "new-ranker").percent());
    }

    @Test
    void rolloutWithoutHealthChecks_advancesOnBakeAlone(LocalTables tables) {
        started(tables, "plain", null);
        RolloutStep step = step(tables, (spec, start, now) -> {
            throw new AssertionError("a rollout without checks reads no health");
        });

        assertEquals(Decision.HOLD, runAt(step, minute(29), "plain").decision());
        assertEquals(Decision.ADVANCE, runAt(step, minute(30), "plain").decision());
        assertEquals(25, read(tables, "plain").percent());
    }

    @Test
    void pausedRollout_isLeftAlone_untilResumed(LocalTables tables) {
        started(tables, "plain", null);
        RolloutService service = new RolloutService(RolloutStores.store(tables), clock);
        service.act("plain", RolloutAction.PAUSE, ADA);
        RolloutStep step = step(tables);

        clock.set(minute(45));
        StepReport whilePaused = step.run();
        service.act("plain", RolloutAction.RESUME, ADA);
        StepOutcome resumedEarly = runAt(step, minute(70), "plain");
        StepOutcome resumedBaked = runAt(step, minute(75), "plain");

        assertEquals(List.of(), whilePaused.outcomes());
        assertEquals(Decision.HOLD, resumedEarly.decision(), "the bake restarted at the resume (minute 45)");
        assertEquals(Decision.ADVANCE, resumedBaked.decision());
    }

    @Test
    void eventThatCannotBePublished_isAFailure_butTheRollbackStands(LocalTables tables) {
        healthyTraffic(0, 30);
        seed("Invocations", 30, 31, 100);
        seed("Errors", 30, 31, 50);
        started(tables, "new-ranker", ratioHealth());
        started(tables, "plain", null);
        RolloutStep step = new RolloutStep(RolloutStores.store(tables), new CloudWatchHealthSource(cloudWatch),
                new DynamoDbAggregateReader(tables.client(), TableNames.fromLogicalIds(tables.names()).aggregates()),
                rollout -> {
                    throw new IllegalStateException("EventBridge is down");
                }, clock);

        clock.set(minute(32));
        StepReport report = step.run();

        StepOutcome failed = report.outcome("new-ranker").orElseThrow();
        assertEquals(StepOutcome.Result.FAILED, failed.result());
        assertEquals(Decision.ROLLBACK, failed.decision());
        assertEquals(List.of(failed), report.failures());
        assertEquals(RolloutStatus.ROLLED_BACK, read(tables, "new-ranker").status());
        assertEquals(Decision.ADVANCE, report.outcome("plain").orElseThrow().decision(), "the other rollout was stepped");
    }
}
