package io.splitline.rollout.step;

import io.splitline.json.JsonValue;
import io.splitline.rollout.Decision;
import io.splitline.rollout.HealthSpec;
import io.splitline.rollout.HumanDuration;
import io.splitline.rollout.Rollout;
import io.splitline.rollout.RolloutAction;
import io.splitline.rollout.RolloutDecision;
import io.splitline.rollout.RolloutStatus;
import io.splitline.rollout.health.AlarmObservation;
import io.splitline.rollout.health.AlarmState;
import io.splitline.rollout.health.CheckObservation;
import io.splitline.rollout.health.HealthObservations;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The decision rules of the scheduled step, as the API contract states them, free of any I/O so that
 * every rule is tested directly. For an {@code in_progress} rollout and the evidence about its stage:
 * <ol>
 *   <li><b>rollback</b> when any metric or ratio check is breached, any named alarm is in {@code ALARM},
 *       or any applied guardrail is significantly worse in treatment;</li>
 *   <li>otherwise <b>hold</b> when there is not enough data (a check with fewer complete periods than
 *       {@code minimumDataPoints}, an alarm in {@code INSUFFICIENT_DATA} or missing, a guardrail whose
 *       arms have fewer than {@code minimumUnitsPerArm} units — except at 100 %, where no control arm
 *       exists), when CloudWatch could not be read, or while the stage's bake time has not elapsed;</li>
 *   <li>otherwise <b>advance</b> to the next stage, or <b>complete</b> after the last one.</li>
 * </ol>
 * Rollback wins over hold: a breach seen in the data there is needs no more data, and a guardrail
 * regression is evidence even when CloudWatch is unreadable. Every decision carries the observations it
 * was based on.
 */
public final class RolloutDecider {
    private RolloutDecider() {
    }

    /** Decides for an {@code in_progress} rollout at {@code now}. */
    public static RolloutDecision decide(Rollout r, StageEvidence evidence, Instant now) {
        if (r.status() != RolloutStatus.IN_PROGRESS) {
            throw new IllegalArgumentException("only in_progress rollouts are decided, " + r.key() + " is " + r.status().json());
        }
        HealthSpec spec = r.spec().health();
        JsonValue observations = ObservationsJson.of(r, evidence, elapsed(r, now));

        List<String> unhealthy = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        HealthObservations health = evidence.health();
        if (health != null) {
            for (CheckObservation c : health.breachedChecks()) {
                unhealthy.add("check '" + c.name() + "' breached: " + number(c.value()) + " " + c.comparison().json()
                        + " " + number(c.threshold()) + " in the period from " + c.periodStart());
            }
            for (AlarmObservation a : health.alarmsIn(AlarmState.ALARM)) {
                unhealthy.add("alarm '" + a.name() + "' is ALARM" + (a.reason() == null ? "" : " (" + a.reason() + ")"));
            }
            for (CheckObservation c : health.checksWithFewerDataPointsThan(spec.minimumDataPoints())) {
                waiting.add("check '" + c.name() + "' has " + c.dataPoints() + " of " + spec.minimumDataPoints()
                        + " data points");
            }
            for (AlarmObservation a : health.alarmsIn(AlarmState.INSUFFICIENT_DATA)) {
                waiting.add("alarm '" + a.name() + "' is INSUFFICIENT_DATA" + (a.exists() ? "" : " (no alarm with this name exists)"));
            }
        } else if (evidence.healthError() != null) {
            waiting.add("CloudWatch could not be read: " + evidence.healthError());
        }
        for (GuardrailObservation g : evidence.guardrails()) {
            if (g.worse()) {
                unhealthy.add("guardrail '" + g.guardrail().metric() + "' is significantly worse in treatment ("
                        + number(g.treatmentValue()) + " vs " + number(g.controlValue()) + " in control, one-sided p = "
                        + number(g.pValue()) + " <= alpha " + number(g.alpha()) + ")");
            } else if (!g.applied() && r.percent() < 100) {
                waiting.add("guardrail '" + g.guardrail().metric() + "' needs " + spec.minimumUnitsPerArm()
                        + " exposed units per arm (control " + g.controlUnits() + ", treatment " + g.treatmentUnits() + ")");
            }
        }
        Instant decidedAt = now.truncatedTo(ChronoUnit.MILLIS);
        if (!unhealthy.isEmpty()) {
            return new RolloutDecision(decidedAt, RolloutDecision.STEP_ACTOR, Decision.ROLLBACK, r.percent(), 0,
                    "unhealthy at " + r.percent() + "%: " + String.join("; ", unhealthy), observations);
        }
        Duration elapsed = elapsed(r, now);
        Duration bake = r.stage().bake();
        if (elapsed.compareTo(bake) < 0) {
            waiting.add("baking: " + HumanDuration.of(elapsed) + " of " + HumanDuration.of(bake) + " elapsed");
        }
        if (!waiting.isEmpty()) {
            return new RolloutDecision(decidedAt, RolloutDecision.STEP_ACTOR, Decision.HOLD, r.percent(), r.percent(),
                    "holding at " + r.percent() + "%: " + String.join("; ", waiting), observations);
        }
        if (r.isLastStage()) {
            return new RolloutDecision(decidedAt, RolloutDecision.STEP_ACTOR, Decision.COMPLETE, r.percent(), 100,
                    "healthy for the " + HumanDuration.of(bake) + " bake at " + r.percent() + "%: completed", observations);
        }
        int next = r.spec().stage(r.stageIndex() + 1).percent();
        return new RolloutDecision(decidedAt, RolloutDecision.STEP_ACTOR, Decision.ADVANCE, r.percent(), next,
                "healthy for the " + HumanDuration.of(bake) + " bake at " + r.percent() + "%: on to " + next + "%", observations);
    }

    /** The rollout after one of the step's decisions (its next version). */
    public static Rollout apply(Rollout r, RolloutDecision d) {
        return switch (d.decision()) {
            case ADVANCE -> r.next(RolloutStatus.IN_PROGRESS, r.stageIndex() + 1, d.toPercent(), d.at(), d);
            case COMPLETE -> r.next(RolloutStatus.COMPLETED, r.stageIndex(), 100, r.stageStartedAt(), d);
            case ROLLBACK -> r.next(RolloutStatus.ROLLED_BACK, r.stageIndex(), 0, r.stageStartedAt(), d);
            case HOLD -> r.next(RolloutStatus.IN_PROGRESS, r.stageIndex(), r.percent(), r.stageStartedAt(), d);
            case PAUSE -> r.next(RolloutStatus.PAUSED, r.stageIndex(), r.percent(), r.stageStartedAt(), d);
            case MANUAL -> throw new IllegalArgumentException("manual moves are applied by RolloutAction");
        };
    }

    /** Time spent in the current stage; zero when the clock reads before the stage start (skew). */
    static Duration elapsed(Rollout r, Instant now) {
        Duration elapsed = Duration.between(r.stageStartedAt(), now);
        return elapsed.isNegative() ? Duration.ZERO : elapsed;
    }

    private static String number(Double value) {
        if (value == null) {
            return "null";
        }
        double v = value;
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
