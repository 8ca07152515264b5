package io.splitline.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One decision about a rollout, as its history and its {@code lastDecision} record it: what was decided,
 * by whom, the percent before and after, why, and the figures it was based on.
 *
 * @param at           when it was decided
 * @param actor        the IAM caller for manual actions, {@link #STEP_ACTOR} for the scheduled step
 * @param decision     advance, hold, rollback, complete or manual
 * @param fromPercent  share of units in treatment before
 * @param toPercent    share of units in treatment after
 * @param reason       human-readable why (for manual entries: the action, e.g. {@code pause})
 * @param observations the figures behind an automatic decision (CloudWatch observations, guardrail test
 *                     statistics, bake time); JSON null for manual entries
 */
public record RolloutDecision(Instant at, String actor, Decision decision, int fromPercent, int toPercent,
                              String reason, JsonNode observations) {
    /** The actor of every decision the scheduled step makes. */
    public static final String STEP_ACTOR = "rollout-step";

    public RolloutDecision {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(reason, "reason");
        observations = observations == null ? NullNode.getInstance() : observations;
    }

    /** An operator's action, without observations. */
    public static RolloutDecision manual(Instant at, String actor, String action, int fromPercent, int toPercent) {
        return new RolloutDecision(at, actor, Decision.MANUAL, fromPercent, toPercent, action, null);
    }
}
