package io.splitline.rollout;

import static io.splitline.http.Refusals.refused;
import static io.splitline.rollout.RolloutFixtures.ADA;
import static io.splitline.rollout.RolloutFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.http.ApiException;
import io.splitline.http.ErrorCode;
import io.splitline.rollout.step.RolloutDecider;
import io.splitline.store.DefinitionStore;
import io.splitline.store.HistoryEntry;
import io.splitline.store.InMemoryDefinitionStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rollouts resource on the in-memory definitions store: lifecycle, stage moves, races with the step. */
class RolloutServiceTest {
    private final MutableClock clock = new MutableClock(T0);
    private final DefinitionStore store = new InMemoryDefinitionStore();

    private RolloutService service() {
        return new RolloutService(store, clock);
    }

    /** A promote from the percent the rollout is at, as an operator who just read it sends it. */
    private static Rollout promoteFromWhereItIs(RolloutService service) {
        return service.promote("new-ranker", service.get("new-ranker").percent(), ADA);
    }

    private static RolloutSpec spec() {
        return RolloutFixtures.spec("new-ranker", null);
    }

    @Test
    void create_storesADraftAtZeroPercent_withACreateEntry() {
        RolloutService service = service();

        Rollout created = service.create(spec(), ADA);

        assertEquals(RolloutStatus.DRAFT, created.status());
        assertEquals(0, created.percent());
        assertEquals(0, created.stageIndex());
        assertNull(created.stageStartedAt());
        assertEquals(1, created.version());
        assertEquals(created, service.get("new-ranker"));
        List<HistoryEntry> history = service.history("new-ranker");
        assertEquals(1, history.size());
        JsonNode entry = RolloutHistoryJson.historyEntryToJson(history.get(0));
        assertEquals("manual", entry.get("decision").textValue());
        assertEquals("create", entry.get("reason").textValue());
        assertEquals(ADA, entry.get("actor").textValue());
        assertEquals(0, entry.get("fromPercent").intValue());
        assertEquals(0, entry.get("toPercent").intValue());
        assertEquals("new-ranker", entry.get("definition").get("key").textValue());
    }

    @Test
    void duplicateKey_isAConflict() {
        RolloutService service = service();
        service.create(spec(), ADA);

        ApiException e = refused(() -> service.create(spec(), ADA));

        assertEquals(ErrorCode.CONFLICT, e.code());
        assertEquals("key", e.field());
    }

    @Test
    void unknownKey_isNotFound_andABadKeyIsInvalid() {
        RolloutService service = service();

        assertEquals(ErrorCode.NOT_FOUND, refused(() -> service.get("ghost")).code());
        assertEquals(ErrorCode.NOT_FOUND, refused(() -> service.history("ghost")).code());
        assertEquals(ErrorCode.INVALID_REQUEST, refused(() -> service.get("Bad Key")).code());
    }

    @Test
    void start_goesToTheFirstStage_andItsBakeStartsNow() {
        RolloutService service = service();
        service.create(spec(), ADA);
        clock.advance(Duration.ofMinutes(5));

        Rollout started = service.act("new-ranker", RolloutAction.START, ADA);

        assertEquals(RolloutStatus.IN_PROGRESS, started.status());
        assertEquals(5, started.percent());
        assertEquals(0, started.stageIndex());
        assertEquals(T0.plus(Duration.ofMinutes(5)), started.stageStartedAt());
        assertEquals(2, started.version());
        assertEquals(started, service.get("new-ranker"));
    }

    @Test
    void pauseThenResume_keepsThePercent_andResumeRestartsTheBake() {
        RolloutService service = service();
        service.create(spec(), ADA);
        service.act("new-ranker", RolloutAction.START, ADA);
        clock.advance(Duration.ofMinutes(20));

        Rollout paused = service.act("new-ranker", RolloutAction.PAUSE, ADA);
        clock.advance(Duration.ofMinutes(40));
        Rollout resumed = service.act("new-ranker", RolloutAction.RESUME, ADA);

        assertEquals(RolloutStatus.PAUSED, paused.status());
        assertEquals(5, paused.percent());
        assertEquals(T0, paused.stageStartedAt());
        assertEquals(RolloutStatus.IN_PROGRESS, resumed.status());
        assertEquals(5, resumed.percent());
        assertEquals(T0.plus(Duration.ofMinutes(60)), resumed.stageStartedAt());
    }

    @Test
    void promote_movesOneStage_andAtTheLastStageCompletes() {
        RolloutService service = service();
        service.create(spec(), ADA);
        service.act("new-ranker", RolloutAction.START, ADA);

        List<Integer> percents = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofSeconds(1));
            Rollout promoted = promoteFromWhereItIs(service);
            percents.add(promoted.percent());
            assertEquals(RolloutStatus.IN_PROGRESS, promoted.status());
            assertEquals(clock.instant(), promoted.stageStartedAt());
        }
        Rollout completed = promoteFromWhereItIs(service);

        assertEquals(List.of(25, 50, 75, 100), percents);
        assertEquals(RolloutStatus.COMPLETED, completed.status());
        assertEquals(100, completed.percent());
        assertEquals(7, completed.version());
        List<JsonNode> entries = service.history("new-ranker").stream().<JsonNode>map(RolloutHistoryJson::historyEntryToJson).toList();
        assertEquals(List.of("create", "start", "promote", "promote", "promote", "promote", "promote"),
                entries.stream().map(e -> e.get("reason").textValue()).toList());
        assertTrue(entries.stream().allMatch(e -> e.get("decision").textValue().equals("manual")));
        assertEquals(List.of(0, 0, 5, 25, 50, 75, 100), entries.stream().map(e -> e.get("fromPercent").intValue()).toList());
        assertEquals(List.of(0, 5, 25, 50, 75, 100, 100), entries.stream().map(e -> e.get("toPercent").intValue()).toList());
    }

    @Test
    void promoteWhilePaused_movesTheStage_andStaysPaused() {
        RolloutService service = service();
        service.create(spec(), ADA);
        service.act("new-ranker", RolloutAction.START, ADA);
        service.act("new-ranker", RolloutAction.PAUSE, ADA);

        Rollout promoted = promoteFromWhereItIs(service);

        assertEquals(RolloutStatus.PAUSED, promoted.status());
        assertEquals(25, promoted.percent());
        assertEquals(1, promoted.stageIndex());
    }

    @ParameterizedTest(name = "abort from {0}")
    @CsvSource({"draft", "in_progress", "paused"})
    void abort_putsEveryoneBackOnControl(String from) {
        RolloutService service = service();
        service.create(spec(), ADA);
        if (!from.equals("draft")) {
            service.act("new-ranker", RolloutAction.START, ADA);
            promoteFromWhereItIs(service);
        }
        if (from.equals("paused")) {
            service.act("new-ranker", RolloutAction.PAUSE, ADA);
        }
        int before = service.get("new-ranker").percent();

        Rollout aborted = service.act("new-ranker", RolloutAction.ABORT, ADA);

        assertEquals(RolloutStatus.ABORTED, aborted.status());
        assertEquals(0, aborted.percent());
        assertEquals(before, aborted.lastDecision().fromPercent());
        assertEquals("abort", aborted.lastDecision().reason());
    }

    @ParameterizedTest(name = "{1} from {0} is a conflict")
    @CsvSource({"draft, pause", "draft, resume", "draft, promote", "in_progress, start", "in_progress, resume",
        "paused, start", "paused, pause", "aborted, start", "aborted, resume", "aborted, abort", "aborted, promote",
        "completed, abort", "completed, promote", "completed, pause"})
    void illegalMove_isAConflict_andChangesNothing(String from, String action) {
        RolloutService service = service();
        service.create(spec(), ADA);
        switch (from) {
            case "in_progress" -> service.act("new-ranker", RolloutAction.START, ADA);
            case "paused" -> {
                service.act("new-ranker", RolloutAction.START, ADA);
                service.act("new-ranker", RolloutAction.PAUSE, ADA);
            }
            case "aborted" -> service.act("new-ranker", RolloutAction.ABORT, ADA);
            case "completed" -> {
                service.act("new-ranker", RolloutAction.START, ADA);
                for (int i = 0; i < 5; i++) {
                    promoteFromWhereItIs(service);
                }
            }
            default -> {
            }
        }
        Rollout before = service.get("new-ranker");
        assertEquals(from, before.status().json());

        ApiException e = refused(
                () -> {
                    if (action.equals("promote")) {
                        service.promote("new-ranker", before.percent(), ADA);
                    } else {
                        service.act("new-ranker", RolloutAction.fromJson(action).orElseThrow(), ADA);
                    }
                });

        assertEquals(ErrorCode.CONFLICT, e.code());
        assertTrue(e.getMessage().contains("it is " + from), e.getMessage());
        assertEquals(before, service.get("new-ranker"));
    }

    @Test
    void list_isSortedByKey_andFiltersByStatus() {
        RolloutService service = service();
        for (String key : List.of("zebra", "apple", "mango")) {
            service.create(RolloutFixtures.spec(key, null), ADA);
        }
        service.act("mango", RolloutAction.START, ADA);

        assertEquals(List.of("apple", "mango", "zebra"), service.list(null).stream().map(Rollout::key).toList());
        assertEquals(List.of("mango"), service.list("in_progress").stream().map(Rollout::key).toList());
        assertEquals(List.of(), service.list("rolled_back"));
        ApiException bad = refused(() -> service.list("running"));
        assertEquals(ErrorCode.INVALID_REQUEST, bad.code());
        assertEquals("status", bad.field());
    }

    /** Writes a hold (as a step would) between the service's read and its write. */
    private void holdAtNextClockReading(MutableClock clock) {
        RolloutRepository repository = new RolloutRepository(store);
        clock.atNextReading(() -> {
            Rollout read = repository.find("new-ranker").orElseThrow();
            repository.write(read, RolloutDecider.apply(read, new RolloutDecision(T0, RolloutDecision.STEP_ACTOR,
                    Decision.HOLD, read.percent(), read.percent(), "holding", null)));
        });
    }

    @Test
    void pauseRacingAStepWrite_isReadAgain_andAppliedOnTopOfIt() {
        RolloutService service = service();
        service.create(spec(), ADA);
        Rollout started = service.act("new-ranker", RolloutAction.START, ADA);
        holdAtNextClockReading(clock);

        Rollout paused = service.act("new-ranker", RolloutAction.PAUSE, ADA);

        assertEquals(RolloutStatus.PAUSED, paused.status());
        assertEquals(started.version() + 2, paused.version());
        List<String> decisions = service.history("new-ranker").stream().map(HistoryEntry::action).toList();
        assertEquals(List.of("manual", "manual", "hold", "manual"), decisions);
    }

    @Test
    void promoteRacingAStepHold_isReadAgain_andStillPromotesFromTheSameStage() {
        RolloutService service = service();
        service.create(spec(), ADA);
        Rollout started = service.act("new-ranker", RolloutAction.START, ADA);
        holdAtNextClockReading(clock);

        Rollout promoted = service.promote("new-ranker", 5, ADA);

        assertEquals(25, promoted.percent());
        assertEquals(started.version() + 2, promoted.version());
        assertEquals(List.of("manual", "manual", "hold", "manual"),
                service.history("new-ranker").stream().map(HistoryEntry::action).toList());
    }

    @Test
    void promoteRacingAStepAdvance_isAConflictOnFromPercent_notASecondStage() {
        RolloutService service = service();
        service.create(spec(), ADA);
        Rollout started = service.act("new-ranker", RolloutAction.START, ADA);
        RolloutRepository repository = new RolloutRepository(store);
        clock.atNextReading(() -> {
            Rollout read = repository.find("new-ranker").orElseThrow();
            repository.write(read, RolloutDecider.apply(read, new RolloutDecision(T0, RolloutDecision.STEP_ACTOR,
                    Decision.ADVANCE, 5, 25, "healthy", null)));
        });

        ApiException e = refused(() -> service.promote("new-ranker", 5, ADA));

        assertEquals(ErrorCode.CONFLICT, e.code());
        assertEquals("fromPercent", e.field());
        assertTrue(e.getMessage().contains("it is at 25%"), e.getMessage());
        assertEquals(25, service.get("new-ranker").percent());
        assertEquals(started.version() + 1, service.get("new-ranker").version());
    }

    @Test
    void promoteFromAPercentTheRolloutLeft_isAConflict_andChangesNothing() {
        RolloutService service = service();
        service.create(spec(), ADA);
        service.act("new-ranker", RolloutAction.START, ADA);
        service.promote("new-ranker", 5, ADA);
        Rollout before = service.get("new-ranker");

        ApiException e = refused(() -> service.promote("new-ranker", 5, ADA));

        assertEquals("fromPercent", e.field());
        assertEquals(before, service.get("new-ranker"));
    }

    @Test
    void staleWrite_isAConflict_andTheStoredRolloutWins() {
        RolloutService service = service();
        service.create(spec(), ADA);
        Rollout started = service.act("new-ranker", RolloutAction.START, ADA);
        RolloutRepository repository = new RolloutRepository(store);
        Rollout promoted = RolloutAction.PROMOTE.applyTo(started, T0, ADA);
        repository.write(started, promoted);

        Rollout alsoPromoted = RolloutAction.PROMOTE.applyTo(started, T0, "bob");
        ApiException e = refused(() -> repository.write(started, alsoPromoted));

        assertEquals(ErrorCode.CONFLICT, e.code());
        assertEquals(promoted, service.get("new-ranker"));
        assertEquals(25, service.get("new-ranker").percent());
    }
}
