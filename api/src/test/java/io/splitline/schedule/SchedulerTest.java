package io.splitline.schedule;

import static io.splitline.http.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.experiment.Experiment;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.experiment.LifecycleAction;
import io.splitline.http.ApiException;
import io.splitline.http.ErrorCode;
import io.splitline.json.Json;
import io.splitline.json.JsonValues;
import io.splitline.notify.Notification;
import io.splitline.notify.RecordingNotifier;
import io.splitline.rollout.MutableClock;
import io.splitline.rollout.RolloutAction;
import io.splitline.rollout.RolloutJson;
import io.splitline.rollout.RolloutService;
import io.splitline.rollout.RolloutStatus;
import io.splitline.store.DefinitionKind;
import io.splitline.store.DefinitionStore;
import io.splitline.store.HistoryEntry;
import io.splitline.store.InMemoryDefinitionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Scheduled starts and ends on the in-memory definitions store, the clock moved by hand. */
class SchedulerTest {
    private static final String ADA = "arn:aws:iam::123456789012:user/ada";
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final RecordingNotifier notifications = new RecordingNotifier();
    private final DefinitionStore store = new InMemoryDefinitionStore();


    private ExperimentService experiments() {
        return new ExperimentService(store, clock);
    }

    private RolloutService rollouts() {
        return new RolloutService(store, clock);
    }

    private static Instant minute(int m) {
        return T0.plus(Duration.ofMinutes(m));
    }

    private static ObjectNode experiment(String key, Consumer<ObjectNode> change) {
        ObjectNode body = (ObjectNode) Json.parse("""
                {"key": "%s", "variants": [{"key": "control", "weight": 0.5}, {"key": "green", "weight": 0.5}]}""".formatted(key));
        change.accept(body);
        return body;
    }

    private Experiment createExperiment(String key, Consumer<ObjectNode> change) {
        return experiments().create(ExperimentJson.parseSpec(experiment(key, change)), ADA);
    }

    private List<ScheduledAction> runAt(Instant at) {
        clock.set(at);
        return new Scheduler(store, clock, notifications).run();
    }

    @Test
    void draftExperiment_startsAtStartAt_andCompletesAtEndAt_asTheScheduler() {
        // given a draft scheduled from minute 10 to minute 70
        createExperiment("checkout", b -> b.put("startAt", minute(10).toString()).put("endAt", minute(70).toString()));

        // when the step runs a millisecond before, at, between and at the end
        List<ScheduledAction> early = runAt(minute(10).minusMillis(1));
        ExperimentStatus beforeStart = experiments().get("checkout").status();
        List<ScheduledAction> atStart = runAt(minute(10));
        List<ScheduledAction> between = runAt(minute(69));
        List<ScheduledAction> atEnd = runAt(minute(70).plusSeconds(30));
        List<ScheduledAction> after = runAt(minute(200));

        // then it starts exactly at startAt and completes at the first run from endAt, each once
        assertEquals(List.of(), early);
        assertEquals(ExperimentStatus.DRAFT, beforeStart);
        assertEquals(List.of(new ScheduledAction(DefinitionKind.EXPERIMENT, "checkout", ScheduledAction.Result.DONE, "start", null)), atStart);
        assertEquals(List.of(), between);
        assertEquals(List.of(new ScheduledAction(DefinitionKind.EXPERIMENT, "checkout", ScheduledAction.Result.DONE, "complete", null)), atEnd);
        assertEquals(List.of(), after, "a completed experiment leaves the index");
        Experiment done = experiments().get("checkout");
        assertEquals(ExperimentStatus.COMPLETED, done.status());
        assertEquals(minute(10), done.startedAt());
        assertEquals(minute(70).plusSeconds(30), done.completedAt());
        List<HistoryEntry> history = experiments().history("checkout");
        assertEquals(List.of("create", "start", "complete"), history.stream().map(HistoryEntry::action).toList());
        assertEquals(List.of(ADA, Scheduler.ACTOR, Scheduler.ACTOR), history.stream().map(HistoryEntry::actor).toList());
        assertEquals(minute(10).toString(), JsonValues.node(history.get(1).changes()).get("scheduledFor").textValue());
        assertEquals(minute(70).toString(), JsonValues.node(history.get(2).changes()).get("scheduledFor").textValue());
        // and each action was announced as a scheduled action and as the move itself, once
        assertEquals(List.of(Notification.EXPERIMENT_STARTED, Notification.SCHEDULED_ACTION_TAKEN,
                Notification.EXPERIMENT_COMPLETED, Notification.SCHEDULED_ACTION_TAKEN), notifications.detailTypes());
        Notification scheduled = notifications.published().get(1);
        assertEquals("checkout", JsonValues.node(scheduled.detail()).get("experiment").textValue());
        assertEquals("start", JsonValues.node(scheduled.detail()).get("action").textValue());
        assertEquals(minute(10).toString(), JsonValues.node(scheduled.detail()).get("scheduledFor").textValue());
        assertEquals(Scheduler.ACTOR, JsonValues.node(notifications.published().get(0).detail()).get("actor").textValue());
    }

    @Test
    void endAtAlone_completesAnExperimentStartedByHand_orPaused() {
        createExperiment("by-hand", b -> b.put("endAt", minute(30).toString()));
        createExperiment("paused", b -> b.put("endAt", minute(30).toString()));
        createExperiment("left-as-draft", b -> b.put("endAt", minute(30).toString()));
        experiments().transition("by-hand", LifecycleAction.START, ADA);
        experiments().transition("paused", LifecycleAction.START, ADA);
        experiments().transition("paused", LifecycleAction.PAUSE, ADA);

        List<ScheduledAction> done = runAt(minute(30));

        assertEquals(List.of("by-hand", "paused"), done.stream().map(ScheduledAction::key).sorted().toList());
        assertEquals(ExperimentStatus.COMPLETED, experiments().get("by-hand").status());
        assertEquals(ExperimentStatus.COMPLETED, experiments().get("paused").status());
        assertEquals(ExperimentStatus.DRAFT, experiments().get("left-as-draft").status(), "only a start schedule starts a draft");
    }

    @Test
    void movingTheScheduleByPatch_isWhatTheSchedulerFollows() {
        Experiment e = createExperiment("checkout", b -> b.put("startAt", minute(10).toString()));

        clock.set(minute(5));
        experiments().update("checkout", JsonValues.parse("{\"version\": " + e.version() + ", \"startAt\": \""
                + minute(60) + "\"}"), ADA);

        assertEquals(List.of(), runAt(minute(30)), "the old time no longer counts");
        assertEquals(ExperimentStatus.DRAFT, experiments().get("checkout").status());
        assertEquals(1, runAt(minute(60)).size());
        assertEquals(ExperimentStatus.RUNNING, experiments().get("checkout").status());
    }

    @Test
    void anExperimentStartedByHandBeforeItsTime_isLeftAlone() {
        createExperiment("checkout", b -> b.put("startAt", minute(10).toString()));
        experiments().transition("checkout", LifecycleAction.START, ADA);

        assertEquals(List.of(), runAt(minute(10)));
        assertEquals(2, experiments().get("checkout").version());
    }

    @Test
    void operatorActingBetweenTheSchedulersReadAndWrite_winsAndTheSchedulerSkips() {
        createExperiment("checkout", b -> b.put("startAt", minute(10).toString()));
        clock.set(minute(10));
        // the scheduler reads the clock once to query the index, then again after reading the draft:
        // the operator archives it right then, between the scheduler's read and its write
        ExperimentService operator = new ExperimentService(store, java.time.Clock.fixed(minute(10), java.time.ZoneOffset.UTC));
        Scheduler scheduler = new Scheduler(store, clock, notifications);
        clock.atNextReading(() -> clock.atNextReading(() -> operator.transition("checkout", LifecycleAction.ARCHIVE, ADA)));

        List<ScheduledAction> done = scheduler.run();

        assertEquals(1, done.size());
        assertEquals(ScheduledAction.Result.SKIPPED, done.get(0).result(), done.toString());
        assertEquals(ExperimentStatus.ARCHIVED, experiments().get("checkout").status());
        assertEquals(List.of("create", "archive"), experiments().history("checkout").stream().map(HistoryEntry::action).toList());
        assertEquals(List.of(), notifications.detailTypes(), "the scheduler that lost announces nothing");
    }

    @Test
    void draftRollout_startsAtStartAt_asTheScheduler() {
        rollouts().create(RolloutJson.parseSpec(Json.parse("""
                {"key": "new-ranker", "stages": [{"percent": 10, "bake": "PT1H"}, {"percent": 100, "bake": "PT0S"}],
                 "startAt": "%s"}""".formatted(minute(15)))), ADA);
        rollouts().create(RolloutJson.parseSpec(Json.parse("""
                {"key": "aborted", "stages": [{"percent": 100, "bake": "PT0S"}], "startAt": "%s"}""".formatted(minute(15)))), ADA);
        rollouts().act("aborted", RolloutAction.ABORT, ADA);

        assertEquals(List.of(), runAt(minute(14)));
        List<ScheduledAction> done = runAt(minute(15));

        assertEquals(List.of(new ScheduledAction(DefinitionKind.ROLLOUT, "new-ranker", ScheduledAction.Result.DONE, "start", null)), done);
        var started = rollouts().get("new-ranker");
        assertEquals(RolloutStatus.IN_PROGRESS, started.status());
        assertEquals(10, started.percent());
        assertEquals(minute(15), started.stageStartedAt());
        assertEquals(Scheduler.ACTOR, started.lastDecision().actor());
        assertEquals(RolloutStatus.ABORTED, rollouts().get("aborted").status());
        assertEquals(List.of(), runAt(minute(16)));
        assertEquals(List.of(Notification.SCHEDULED_ACTION_TAKEN), notifications.detailTypes());
        assertEquals("new-ranker", JsonValues.node(notifications.published().get(0).detail()).get("rollout").textValue());
    }

    @Test
    void aScheduleInThePast_orAnEndBeforeTheStart_isA400NamingTheField() {
        clock.set(minute(30));
        ApiException pastStart = refused(() -> createExperiment("ex-a",
                b -> b.put("startAt", minute(29).toString())));
        ApiException nowEnd = refused(() -> createExperiment("ex-b",
                b -> b.put("endAt", minute(30).toString())));
        ApiException endFirst = refused(() -> createExperiment("ex-c",
                b -> b.put("startAt", minute(50).toString()).put("endAt", minute(40).toString())));
        ApiException notATime = refused(() -> createExperiment("ex-d",
                b -> b.put("startAt", "tomorrow")));
        ApiException pastRollout = refused(() -> rollouts().create(RolloutJson.parseSpec(Json.parse("""
                {"key": "ro-r", "stages": [{"percent": 100, "bake": "PT0S"}], "startAt": "%s"}""".formatted(minute(1)))), ADA));

        assertEquals(List.of("startAt", "endAt", "endAt", "startAt", "startAt"), List.of(pastStart.field(), nowEnd.field(),
                endFirst.field(), notATime.field(), pastRollout.field()));
        for (ApiException e : List.of(pastStart, nowEnd, endFirst, notATime, pastRollout)) {
            assertEquals(ErrorCode.INVALID_REQUEST, e.code());
        }
        assertTrue(pastStart.getMessage().contains("not in the future"), pastStart.getMessage());
        assertEquals(List.of(), store.list(DefinitionKind.EXPERIMENT), "nothing was written");
    }

    @Test
    void patchRules_forTheSchedule() {
        Experiment e = createExperiment("checkout", b -> b.put("startAt", minute(10).toString()));
        ExperimentService service = experiments();

        // a past endAt by PATCH is a 400; a start schedule is spent once started (409); the end may move
        ApiException past = refused(() -> service.update("checkout",
                JsonValues.parse("{\"version\": 1, \"endAt\": \"" + minute(-1) + "\"}"), ADA));
        assertEquals("endAt", past.field());
        runAt(minute(10));
        clock.set(minute(11));
        ApiException restart = refused(() -> service.update("checkout",
                JsonValues.parse("{\"version\": 2, \"startAt\": \"" + minute(100) + "\"}"), ADA));
        assertEquals(ErrorCode.CONFLICT, restart.code());
        assertEquals("startAt", restart.field());
        Experiment ending = service.update("checkout", JsonValues.parse("{\"version\": 2, \"endAt\": \"" + minute(100) + "\"}"), ADA);
        assertEquals(minute(100), ending.spec().endAt());
        ApiException endBeforeStart = refused(() -> service.update("checkout",
                JsonValues.parse("{\"version\": 3, \"endAt\": \"" + minute(5) + "\"}"), ADA));
        assertEquals("endAt", endBeforeStart.field());
        assertEquals(1L, e.version());

        // when completed, the schedule is part of the record
        service.transition("checkout", LifecycleAction.COMPLETE, ADA);
        ApiException finished = refused(() -> service.update("checkout",
                JsonValues.parse("{\"version\": 4, \"endAt\": \"" + minute(200) + "\"}"), ADA));
        assertEquals(ErrorCode.CONFLICT, finished.code());
        assertEquals("endAt", finished.field());
    }
}
