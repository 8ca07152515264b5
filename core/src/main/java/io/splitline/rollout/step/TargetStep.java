package io.splitline.rollout.step;

import io.splitline.json.JsonValue;
import io.splitline.rollout.Decision;
import io.splitline.rollout.Rollout;
import io.splitline.rollout.RolloutDecision;
import io.splitline.rollout.RolloutStatus;
import io.splitline.rollout.traffic.ArmMetricsSource;
import io.splitline.rollout.traffic.ArmTraffic;
import io.splitline.rollout.traffic.RolloutTarget;
import io.splitline.rollout.traffic.TargetRetryException;
import io.splitline.rollout.traffic.TrafficControl;
import io.splitline.rollout.traffic.TrafficReading;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollout step's work on a rollout's {@link RolloutTarget}, around the unchanged decision:
 * <ol>
 *   <li><b>preflight</b>, before deciding: read the target; when it is in a state this rollout could not
 *       have set, pause with the reason "target drifted" (another owner has it: never fight it); when the
 *       treatment is not ready, or the target cannot be read, hold;</li>
 *   <li><b>evidence</b>: the arms' error counts from CloudWatch over {@code [stage start, now − lag]}, as
 *       one more guardrail for {@link RolloutDecider};</li>
 *   <li><b>reconcile</b>, after the decision was committed: move the target to the split the stored
 *       rollout wants ({@link TrafficPlan#desiredTreatmentShare}), only if it differs, conditionally on
 *       what was read; a conflict or throttling is left to the next step.</li>
 * </ol>
 * Final rollouts are reconciled too for {@link #REASSERT_FOR} after they ended, so a rollback that did not
 * land at once (throttled) lands at a later step, and a target put back on the treatment is taken off it
 * again while it is still in one of this rollout's states.
 */
public final class TargetStep {
    private static final Logger LOG = LoggerFactory.getLogger(TargetStep.class);
    /** How long after a rollout ended its target's final split is still re-asserted. */
    public static final Duration REASSERT_FOR = Duration.ofDays(1);

    private final TrafficControl control;
    private final ArmMetricsSource metrics;
    private final TargetGuardrail guardrail;

    public TargetStep(TrafficControl control, ArmMetricsSource metrics, TargetGuardrail guardrail) {
        this.control = control;
        this.metrics = metrics;
        this.guardrail = guardrail;
    }

    /**
     * What the preflight found: the reading (null when the target could not be read), a decision that
     * replaces the decider's (pause on drift, hold while not ready or unreadable) or null, the error-rate
     * guardrail (null when not read), and the figures for the decision's observations.
     */
    public record Preflight(TrafficReading reading, RolloutDecision decision, GuardrailObservation guardrail,
                            JsonValue.JsonObject observations) {
    }

    /** Reads the target of an in-progress rollout and, when it is Splitline's and ready, its arms' metrics. */
    public Preflight preflight(Rollout r, Instant now) {
        RolloutTarget target = r.spec().target();
        TrafficReading reading;
        try {
            reading = control.read(target);
        } catch (RuntimeException e) {
            LOG.warn("rollout {}: {} could not be read, holding", r.key(), target.describe(), e);
            JsonValue.JsonObject observed = TargetObservationsJson.unreadable(target, String.valueOf(e.getMessage()));
            return new Preflight(null, hold(r, now, target.describe() + " could not be read: " + e.getMessage(), observed),
                    null, observed);
        }
        Optional<String> drift = TrafficPlan.drift(r, target, reading);
        if (drift.isPresent()) {
            JsonValue.JsonObject observed = TargetObservationsJson.drifted(target, reading, drift.get());
            RolloutDecision pause = new RolloutDecision(millis(now), RolloutDecision.STEP_ACTOR, Decision.PAUSE,
                    r.percent(), r.percent(), "target drifted: " + target.describe() + " is not as this rollout left it ("
                    + drift.get() + "); paused, and left to its other owner", wrap(observed));
            return new Preflight(reading, pause, null, observed);
        }
        if (!reading.notReady().isEmpty()) {
            JsonValue.JsonObject observed = TargetObservationsJson.read(target, reading);
            return new Preflight(reading, hold(r, now, String.join("; ", reading.notReady()), observed), null, observed);
        }
        Instant from = r.stageStartedAt().truncatedTo(ChronoUnit.SECONDS);
        Instant to = now.minus(reading.metricsLag()).truncatedTo(ChronoUnit.SECONDS);
        ArmMetricsSource.ArmMetrics arms = to.isAfter(from) ? metrics.read(target, from, to)
                : new ArmMetricsSource.ArmMetrics(from, from, ArmTraffic.NONE, ArmTraffic.NONE);
        JsonValue.JsonObject observed = TargetObservationsJson.measured(target, reading, arms);
        return new Preflight(reading, null, guardrail.evaluate(target, r.spec().health(), arms), observed);
    }

    /** The decision with the target's figures added to its observations (under {@code target}). */
    public static RolloutDecision withObservations(RolloutDecision d, Preflight p) {
        Map<String, JsonValue> observations = new LinkedHashMap<>();
        if (d.observations() instanceof JsonValue.JsonObject o) {
            observations.putAll(o.fields());
        }
        observations.put("target", p.observations());
        return new RolloutDecision(d.at(), d.actor(), d.decision(), d.fromPercent(), d.toPercent(), d.reason(),
                new JsonValue.JsonObject(observations));
    }

    /**
     * Moves the target of {@code committed} (the rollout as just stored) to its desired split, from
     * {@code reading} (taken before deciding). Never throws: says what it did, for the step's report.
     */
    public String reconcile(Rollout committed, TrafficReading reading) {
        RolloutTarget target = committed.spec().target();
        Optional<Double> desired = TrafficPlan.desiredTreatmentShare(committed);
        if (desired.isEmpty() || reading == null) {
            return "target left as it is";
        }
        double now = reading.share(target.treatment());
        if (TrafficPlan.same(now, desired.get())) {
            return "target already at " + TrafficPlan.percent(desired.get());
        }
        if (desired.get() > now && !reading.notReady().isEmpty()) {
            return "target kept at " + TrafficPlan.percent(now) + " until the treatment is ready";
        }
        try {
            control.shift(target, reading, desired.get());
            LOG.info("rollout {}: {} moved from {} to {} for the treatment", committed.key(), target.describe(),
                    TrafficPlan.percent(now), TrafficPlan.percent(desired.get()));
            return "target moved to " + TrafficPlan.percent(desired.get());
        } catch (TargetRetryException e) {
            LOG.info("rollout {}: {} not moved now ({}): the next step retries", committed.key(), target.describe(),
                    e.getMessage());
            return "target not moved now (" + e.getMessage() + "): the next step retries";
        } catch (RuntimeException e) {
            LOG.error("rollout {}: {} could not be moved", committed.key(), target.describe(), e);
            return "target could not be moved (" + e + "): the next step retries";
        }
    }

    /**
     * Re-asserts the final split of a rolled-back, aborted or completed rollout that ended less than
     * {@link #REASSERT_FOR} ago, while its target is still in one of its states; a target another owner took
     * over is left alone. Never throws.
     */
    public Optional<String> reassert(Rollout r, Instant now) {
        if (r.spec().target() == null || !r.status().isFinal() || r.updatedAt().plus(REASSERT_FOR).isBefore(now)) {
            return Optional.empty();
        }
        TrafficReading reading;
        try {
            reading = control.read(r.spec().target());
        } catch (RuntimeException e) {
            LOG.warn("rollout {}: {} could not be read to re-assert its final split", r.key(), r.spec().target().describe(), e);
            return Optional.of("target could not be read: " + e.getMessage());
        }
        Optional<String> drift = TrafficPlan.drift(r, r.spec().target(), reading);
        if (drift.isPresent()) {
            return Optional.of("target left to its other owner: " + drift.get());
        }
        return Optional.of(reconcile(r, reading));
    }

    private static RolloutDecision hold(Rollout r, Instant now, String why, JsonValue.JsonObject observed) {
        return new RolloutDecision(millis(now), RolloutDecision.STEP_ACTOR, Decision.HOLD, r.percent(), r.percent(),
                "holding at " + r.percent() + "%: " + why, wrap(observed));
    }

    private static JsonValue.JsonObject wrap(JsonValue.JsonObject observed) {
        return new JsonValue.JsonObject(Map.of("target", observed));
    }

    private static Instant millis(Instant now) {
        return now.truncatedTo(ChronoUnit.MILLIS);
    }

    /** Only in-progress rollouts with a target are preflighted; the others keep the step's plain path. */
    public static boolean applies(Rollout r) {
        return r.spec().target() != null && r.status() == RolloutStatus.IN_PROGRESS;
    }
}
