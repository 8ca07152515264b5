package io.splitline.rollout.step;

import io.splitline.aggregate.AggregateReader;
import io.splitline.error.NotFoundException;
import io.splitline.error.VersionConflictException;
import io.splitline.ingest.IngestTarget;
import io.splitline.rollout.HealthSpec;
import io.splitline.rollout.Rollout;
import io.splitline.rollout.RolloutDecision;
import io.splitline.rollout.RolloutRepository;
import io.splitline.rollout.RolloutStatus;
import io.splitline.rollout.health.HealthObservations;
import io.splitline.rollout.health.HealthReadException;
import io.splitline.rollout.health.HealthSource;
import io.splitline.store.DefinitionStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled step: for every {@code in_progress} rollout, gather the evidence about its current stage
 * (CloudWatch through the {@link HealthSource}, the guardrails through the {@link GuardrailGate} over the
 * stage's aggregates), decide with {@link RolloutDecider}, and store the decision — holds included — as
 * the rollout's next version.
 *
 * <p><b>Safe under retries and overlap.</b> Each rollout is re-read consistently before deciding, and the
 * decision is written with one conditional write on the version that was read. When two steps (a
 * duplicated schedule delivery, a retry, a slow run overlapping the next) or a step and an operator act
 * on the same version, exactly one write succeeds; the loser skips the rollout and leaves it to the next
 * run, which decides from the new state. So a stage is never applied twice or skipped, and a rollback
 * (a final status) is never undone. The rollback event is published only by the writer that won, after
 * the write.
 *
 * <p>A rollout with a {@code target} also moves AWS traffic, through the {@link TargetStep}: a preflight
 * before deciding (drift pauses, an unready treatment holds), the arms' CloudWatch error counts as one
 * more guardrail, and a reconcile of the target after the decision was committed. Final rollouts with a
 * target have their final split re-asserted for a day.
 *
 * <p>A failure with one rollout (an unreadable aggregate table, an event that could not be published) is
 * reported in the {@link StepReport} and does not stop the others.
 */
public final class RolloutStep {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutStep.class);

    private final RolloutRepository rollouts;
    private final HealthSource health;
    private final AggregateReader aggregates;
    private final GuardrailGate gate;
    private final RolloutEvents events;
    private final Clock clock;
    private final TargetStep targets;

    public RolloutStep(DefinitionStore store, HealthSource health, AggregateReader aggregates, RolloutEvents events,
                       Clock clock) {
        this(store, health, aggregates, new GuardrailGate(), events, clock);
    }

    public RolloutStep(DefinitionStore store, HealthSource health, AggregateReader aggregates, GuardrailGate gate,
                       RolloutEvents events, Clock clock) {
        this(store, health, aggregates, gate, events, clock, null);
    }

    /** @param targets drives the rollouts' AWS targets; null where none can be driven (no AWS clients) */
    public RolloutStep(DefinitionStore store, HealthSource health, AggregateReader aggregates, GuardrailGate gate,
                       RolloutEvents events, Clock clock, TargetStep targets) {
        this.targets = targets;
        this.rollouts = new RolloutRepository(store);
        this.health = health;
        this.aggregates = aggregates;
        this.gate = gate;
        this.events = events;
        this.clock = clock;
    }

    /** Steps every rollout listed as {@code in_progress}, once each. */
    public StepReport run() {
        Instant startedAt = now();
        List<StepOutcome> outcomes = new ArrayList<>();
        for (Rollout listed : rollouts.list()) {
            if (listed.status() == RolloutStatus.IN_PROGRESS) {
                outcomes.add(step(listed.key()));
            } else if (targets != null) {
                targets.reassert(listed, startedAt).ifPresent(done -> LOG.info("rollout {} ({}): {}", listed.key(),
                        listed.status().json(), done));
            }
        }
        StepReport report = new StepReport(startedAt, outcomes);
        LOG.info("rollout step: {} in progress, {} failed", outcomes.size(), report.failures().size());
        return report;
    }

    /** Millisecond precision, as every timestamp the service writes. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Steps one rollout: re-read, decide, write on the version read. Never throws. */
    public StepOutcome step(String key) {
        Rollout current;
        RolloutDecision decision;
        TargetStep.Preflight preflight = null;
        try {
            Optional<Rollout> found = rollouts.find(key);
            if (found.isEmpty() || found.get().status() != RolloutStatus.IN_PROGRESS) {
                String why = found.map(r -> "it is " + r.status().json()).orElse("it no longer exists");
                LOG.info("rollout {} skipped: {}", key, why);
                return StepOutcome.skipped(key, why);
            }
            current = found.get();
            Instant now = now();
            if (TargetStep.applies(current)) {
                if (targets == null) {
                    throw new IllegalStateException("it has a " + current.spec().target().type()
                            + " target, and this step was built without AWS target clients");
                }
                preflight = targets.preflight(current, now);
            }
            if (preflight != null && preflight.decision() != null) {
                decision = preflight.decision();
            } else {
                decision = RolloutDecider.decide(current, evidence(current, now, preflight), now);
                decision = preflight == null ? decision : TargetStep.withObservations(decision, preflight);
            }
        } catch (RuntimeException e) {
            LOG.error("rollout {}: could not decide", key, e);
            return StepOutcome.failed(key, null, 0, "could not decide: " + e);
        }
        Rollout next = RolloutDecider.apply(current, decision);
        try {
            rollouts.write(current, next);
        } catch (VersionConflictException | NotFoundException e) {
            LOG.info("rollout {} changed since version {} was read ({}): left to the next step", key,
                    current.version(), e.getMessage());
            return StepOutcome.skipped(key, "changed by another writer since version " + current.version()
                    + " was read; the next step decides again");
        } catch (RuntimeException e) {
            LOG.error("rollout {}: could not store the {} decision", key, decision.decision().json(), e);
            return StepOutcome.failed(key, null, 0, "could not store the decision: " + e);
        }
        LOG.info("rollout {} version {}: {} {}% -> {}%: {}", key, next.version(), decision.decision().json(),
                decision.fromPercent(), decision.toPercent(), decision.reason());
        String moved = preflight == null ? null : targets.reconcile(next, preflight.reading());
        try {
            switch (decision.decision()) {
                case ROLLBACK -> events.rolledBack(next);
                case ADVANCE -> events.advanced(next);
                case COMPLETE -> events.completed(next);
                case HOLD, MANUAL, PAUSE -> {
                    // nothing to announce: a hold changes nothing, manual moves are announced by the API, and a
                    // drift pause is in the history
                }
            }
        } catch (RuntimeException e) {
            LOG.error("rollout {}: {} stored (version {}) but the event could not be published", key,
                    decision.decision().json(), next.version(), e);
            return StepOutcome.failed(key, decision.decision(), next.version(),
                    decision.decision().json() + " stored, but the event could not be published: " + e);
        }
        StepOutcome decided = StepOutcome.decided(next);
        return moved == null ? decided : new StepOutcome(key, decided.result(), decided.decision(), decided.version(),
                decided.detail() + " (" + moved + ")");
    }

    private StageEvidence evidence(Rollout r, Instant now, TargetStep.Preflight preflight) {
        HealthSpec spec = r.spec().health();
        HealthObservations observed = null;
        String error = null;
        if (spec.hasMetricChecks() || !spec.alarms().isEmpty()) {
            // A clock reading before the stage start (skew between writers) gives an empty window: hold.
            Instant end = now.isBefore(r.stageStartedAt()) ? r.stageStartedAt() : now;
            try {
                observed = health.observe(spec, r.stageStartedAt(), end);
            } catch (HealthReadException e) {
                LOG.warn("rollout {}: health could not be read, holding", r.key(), e);
                error = e.getMessage();
            }
        }
        List<GuardrailObservation> guardrails = new ArrayList<>(spec.guardrails().isEmpty() ? List.of()
                : gate.evaluate(spec, aggregates.read(r.key(), IngestTarget.stageScope(r.stageIndex()))));
        if (preflight != null && preflight.guardrail() != null) {
            guardrails.add(preflight.guardrail());
        }
        return new StageEvidence(observed, error, guardrails);
    }
}
