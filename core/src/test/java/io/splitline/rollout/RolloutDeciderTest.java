package io.splitline.rollout;

import static io.splitline.rollout.RolloutFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.experiment.Direction;
import io.splitline.experiment.MetricType;
import io.splitline.json.JsonValues;
import io.splitline.rollout.health.AlarmObservation;
import io.splitline.rollout.health.AlarmState;
import io.splitline.rollout.health.CheckKind;
import io.splitline.rollout.health.CheckObservation;
import io.splitline.rollout.health.HealthObservations;
import io.splitline.rollout.step.GuardrailObservation;
import io.splitline.rollout.step.RolloutDecider;
import io.splitline.rollout.step.StageEvidence;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decision rules of docs/rollouts.md ("The scheduled step"), one rule (and its boundary) per test, without any I/O. */
class RolloutDeciderTest {
    private static final Guardrail ERRORS = new Guardrail("error", MetricType.CONVERSION, Direction.DECREASE);
    private static final String HEALTH = """
            {"metrics": [{"name": "errors", "namespace": "AWS/Lambda", "metricName": "Errors", "statistic": "Sum",
                          "comparison": "GreaterThanThreshold", "threshold": 5}],
             "alarms": ["ranker-5xx"], "minimumDataPoints": 2,
             "guardrails": [{"metric": "error", "type": "conversion", "direction": "decrease"}],
             "minimumUnitsPerArm": 200}""";

    /** In progress at the given stage, which started at T0. */
    private static Rollout atStage(int stageIndex) {
        Rollout draft = Rollout.draft(RolloutFixtures.spec("new-ranker", HEALTH), T0, "ada");
        int percent = draft.spec().stage(stageIndex).percent();
        return draft.next(RolloutStatus.IN_PROGRESS, stageIndex, percent, T0,
                RolloutDecision.manual(T0, "ada", "start", 0, percent));
    }

    private static CheckObservation check(int dataPoints, Double value, boolean breached) {
        return new CheckObservation("errors", CheckKind.METRIC, Comparison.GREATER_THAN_THRESHOLD, 5, 60, dataPoints,
                value, value == null ? null : T0.plusSeconds(60), null, null, breached);
    }

    private static HealthObservations health(CheckObservation check, AlarmObservation alarm) {
        return new HealthObservations(T0, T0.plus(Duration.ofHours(2)), List.of(check), List.of(alarm));
    }

    private static final CheckObservation HEALTHY_CHECK = check(2, 1.0, false);
    private static final AlarmObservation OK = new AlarmObservation("ranker-5xx", AlarmState.OK, true, "fine");

    private static GuardrailObservation guardrail(long control, long treatment, Double pValue) {
        boolean applied = pValue != null;
        return new GuardrailObservation(ERRORS, control, treatment, 0.01, 0.012, applied,
                applied ? 1.0 : null, pValue, 0.05, applied && pValue <= 0.05);
    }

    private static StageEvidence healthy() {
        return new StageEvidence(health(HEALTHY_CHECK, OK), null, List.of(guardrail(500, 500, 0.8)));
    }

    /** After the first stage's 30 minutes of bake. */
    private static final Instant BAKED = T0.plus(Duration.ofMinutes(30));

    @Test
    void healthyAndBaked_advancesToTheNextStage() {
        RolloutDecision d = RolloutDecider.decide(atStage(0), healthy(), BAKED);

        assertEquals(Decision.ADVANCE, d.decision());
        assertEquals(5, d.fromPercent());
        assertEquals(25, d.toPercent());
        assertEquals(RolloutDecision.STEP_ACTOR, d.actor());
        Rollout next = RolloutDecider.apply(atStage(0), d);
        assertEquals(1, next.stageIndex());
        assertEquals(25, next.percent());
        assertEquals(BAKED, next.stageStartedAt());
        assertEquals(RolloutStatus.IN_PROGRESS, next.status());
    }

    @Test
    void bakeOneMillisecondShort_holds_andExactlyElapsed_advances() {
        RolloutDecision early = RolloutDecider.decide(atStage(0), healthy(), BAKED.minusMillis(1));
        RolloutDecision onTime = RolloutDecider.decide(atStage(0), healthy(), BAKED);

        assertEquals(Decision.HOLD, early.decision());
        assertTrue(early.reason().contains("baking: 29 min 59 s of 30 min elapsed"), early.reason());
        assertEquals(5, early.toPercent());
        assertEquals(Decision.ADVANCE, onTime.decision());
    }

    @Test
    void healthyAndBakedAtTheLastStage_completesAt100() {
        Rollout last = atStage(4);

        RolloutDecision d = RolloutDecider.decide(last, new StageEvidence(health(HEALTHY_CHECK, OK), null,
                List.of(guardrail(0, 5000, null))), T0);

        assertEquals(Decision.COMPLETE, d.decision());
        Rollout completed = RolloutDecider.apply(last, d);
        assertEquals(RolloutStatus.COMPLETED, completed.status());
        assertEquals(100, completed.percent());
    }

    @Test
    void breachedCheck_rollsBackToZero_namingTheCheckAndItsValue() {
        StageEvidence evidence = new StageEvidence(health(check(3, 9.0, true), OK), null, List.of(guardrail(500, 500, 0.8)));

        RolloutDecision d = RolloutDecider.decide(atStage(1), evidence, T0.plusSeconds(120));

        assertEquals(Decision.ROLLBACK, d.decision());
        assertEquals(25, d.fromPercent());
        assertEquals(0, d.toPercent());
        assertTrue(d.reason().contains("check 'errors' breached: 9 GreaterThanThreshold 5"), d.reason());
        Rollout rolledBack = RolloutDecider.apply(atStage(1), d);
        assertEquals(RolloutStatus.ROLLED_BACK, rolledBack.status());
        assertEquals(0, rolledBack.percent());
        assertEquals(1, rolledBack.stageIndex());
    }

    @Test
    void alarmInAlarm_rollsBack_evenBeforeTheBakeEnds() {
        AlarmObservation firing = new AlarmObservation("ranker-5xx", AlarmState.ALARM, true, "5XX above 1");

        RolloutDecision d = RolloutDecider.decide(atStage(0), new StageEvidence(health(HEALTHY_CHECK, firing), null,
                List.of(guardrail(500, 500, 0.8))), T0.plusSeconds(1));

        assertEquals(Decision.ROLLBACK, d.decision());
        assertTrue(d.reason().contains("alarm 'ranker-5xx' is ALARM (5XX above 1)"), d.reason());
    }

    @Test
    void guardrailSignificantlyWorse_rollsBack_withTheTestStatistics() {
        StageEvidence evidence = new StageEvidence(health(HEALTHY_CHECK, OK), null, List.of(guardrail(500, 500, 0.01)));

        RolloutDecision d = RolloutDecider.decide(atStage(0), evidence, BAKED);

        assertEquals(Decision.ROLLBACK, d.decision());
        assertTrue(d.reason().contains("guardrail 'error' is significantly worse in treatment"), d.reason());
        JsonNode g = JsonValues.node(d.observations()).get("guardrails").get(0);
        assertEquals(0.01, g.get("pValue").doubleValue());
        assertEquals(1.0, g.get("statistic").doubleValue());
        assertTrue(g.get("worse").booleanValue());
        assertEquals(500, g.get("treatment").get("units").longValue());
        assertEquals(0.012, g.get("treatment").get("rate").doubleValue());
    }

    @Test
    void fewerDataPointsThanTheMinimum_holds_evenWhenBaked() {
        StageEvidence evidence = new StageEvidence(health(check(1, 1.0, false), OK), null, List.of(guardrail(500, 500, 0.8)));

        RolloutDecision d = RolloutDecider.decide(atStage(0), evidence, BAKED.plus(Duration.ofDays(3)));

        assertEquals(Decision.HOLD, d.decision());
        assertTrue(d.reason().contains("check 'errors' has 1 of 2 data points"), d.reason());
    }

    @Test
    void alarmWithInsufficientData_orMissing_holds() {
        AlarmObservation unknown = new AlarmObservation("ranker-5xx", AlarmState.INSUFFICIENT_DATA, true, "no data");
        AlarmObservation missing = AlarmObservation.missing("ranker-5xx");

        RolloutDecision d1 = RolloutDecider.decide(atStage(0), new StageEvidence(health(HEALTHY_CHECK, unknown), null,
                List.of(guardrail(500, 500, 0.8))), BAKED);
        RolloutDecision d2 = RolloutDecider.decide(atStage(0), new StageEvidence(health(HEALTHY_CHECK, missing), null,
                List.of(guardrail(500, 500, 0.8))), BAKED);

        assertEquals(Decision.HOLD, d1.decision());
        assertEquals(Decision.HOLD, d2.decision());
        assertTrue(d2.reason().contains("no alarm with this name exists"), d2.reason());
    }

    @Test
    void unreadableCloudWatch_holds_withTheError() {
        RolloutDecision d = RolloutDecider.decide(atStage(0), new StageEvidence(null, "GetMetricData failed: throttled",
                List.of(guardrail(500, 500, 0.8))), BAKED);

        assertEquals(Decision.HOLD, d.decision());
        assertTrue(d.reason().contains("CloudWatch could not be read: GetMetricData failed: throttled"), d.reason());
        assertEquals("GetMetricData failed: throttled", JsonValues.node(d.observations()).get("healthError").textValue());
        assertTrue(JsonValues.node(d.observations()).get("health").isNull());
    }

    @Test
    void guardrailRegression_rollsBack_evenWhenCloudWatchIsUnreadable() {
        RolloutDecision d = RolloutDecider.decide(atStage(0), new StageEvidence(null, "throttled",
                List.of(guardrail(500, 500, 0.001))), BAKED);

        assertEquals(Decision.ROLLBACK, d.decision());
    }

    @Test
    void guardrailBelowTheMinimumUnits_holds_untilBothArmsHaveThem() {
        RolloutDecision fewTreatment = RolloutDecider.decide(atStage(0), new StageEvidence(health(HEALTHY_CHECK, OK), null,
                List.of(guardrail(3800, 199, null))), BAKED);
        RolloutDecision enough = RolloutDecider.decide(atStage(0), new StageEvidence(health(HEALTHY_CHECK, OK), null,
                List.of(guardrail(3800, 200, 0.5))), BAKED);

        assertEquals(Decision.HOLD, fewTreatment.decision());
        assertTrue(fewTreatment.reason().contains("guardrail 'error' needs 200 exposed units per arm (control 3800, treatment 199)"),
                fewTreatment.reason());
        assertEquals(Decision.ADVANCE, enough.decision());
    }

    @Test
    void guardrailAt100Percent_hasNoControlArm_andDoesNotHold() {
        RolloutDecision d = RolloutDecider.decide(atStage(4), new StageEvidence(health(HEALTHY_CHECK, OK), null,
                List.of(guardrail(0, 9000, null))), T0);

        assertEquals(Decision.COMPLETE, d.decision());
    }

    @Test
    void breach_winsOverMissingData() {
        StageEvidence evidence = new StageEvidence(health(check(1, 7.0, true), AlarmObservation.missing("ranker-5xx")), null,
                List.of(guardrail(10, 10, null)));

        RolloutDecision d = RolloutDecider.decide(atStage(0), evidence, T0.plusSeconds(60));

        assertEquals(Decision.ROLLBACK, d.decision());
    }

    @Test
    void noHealthChecksAtAll_advanceOnBakeAlone() {
        Rollout r = Rollout.draft(RolloutFixtures.spec("plain", null), T0, "ada");
        Rollout started = RolloutAction.START.applyTo(r, T0, "ada");
        StageEvidence nothing = new StageEvidence(null, null, List.of());

        assertEquals(Decision.HOLD, RolloutDecider.decide(started, nothing, BAKED.minusSeconds(1)).decision());
        assertEquals(Decision.ADVANCE, RolloutDecider.decide(started, nothing, BAKED).decision());
    }

    @Test
    void everyDecision_recordsTheBakeAndTheFigures() {
        RolloutDecision d = RolloutDecider.decide(atStage(0), healthy(), T0.plus(Duration.ofMinutes(12)));

        JsonNode o = JsonValues.node(d.observations());
        assertEquals("PT30M", o.get("bake").get("required").textValue());
        assertEquals("PT12M", o.get("bake").get("elapsed").textValue());
        assertFalse(o.get("bake").get("complete").booleanValue());
        assertEquals(T0.toString(), o.get("bake").get("stageStartedAt").textValue());
        assertEquals(2, o.get("health").get("checks").get(0).get("dataPoints").intValue());
        assertEquals("OK", o.get("health").get("alarms").get(0).get("state").textValue());
        assertEquals(0.8, o.get("guardrails").get(0).get("pValue").doubleValue());
        assertEquals(5, o.get("percent").intValue());
    }

    @Test
    void aClockBeforeTheStageStart_holdsAsBaking() {
        RolloutDecision d = RolloutDecider.decide(atStage(0), healthy(), T0.minusSeconds(5));

        assertEquals(Decision.HOLD, d.decision());
        assertTrue(d.reason().contains("baking: 0 s of 30 min"), d.reason());
    }

    @Test
    void onlyRolloutsInProgress_areDecided() {
        Rollout draft = Rollout.draft(RolloutFixtures.spec("plain", null), T0, "ada");

        assertThrows(IllegalArgumentException.class,
                () -> RolloutDecider.decide(draft, new StageEvidence(null, null, List.of()), T0));
    }

    @Test
    void storedForm_roundTrips_withTheLastDecisionAndItsObservations() {
        Rollout r = atStage(0);
        Rollout held = RolloutDecider.apply(r, RolloutDecider.decide(r, healthy(), T0.plusSeconds(61)));

        JsonNode json = RolloutJson.toJson(held);

        assertEquals(held, RolloutJson.fromJson(json));
        for (String field : RolloutJson.STATE_FIELDS) {
            assertTrue(json.has(field), field);
        }
        assertEquals("hold", json.get("lastDecision").get("decision").textValue());
        assertEquals("in_progress", json.get("status").textValue());
        assertEquals(5, json.get("percent").intValue());
    }
}
