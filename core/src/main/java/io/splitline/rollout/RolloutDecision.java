package io.splitline.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
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
        observations = observations == null ? NullNode.getInstance() : canonical(observations);
    }

    /** An operator's action, without observations. */
    public static RolloutDecision manual(Instant at, String actor, String action, int fromPercent, int toPercent) {
        return new RolloutDecision(at, actor, Decision.MANUAL, fromPercent, toPercent, action, null);
    }

    /**
     * A copy with every number as a double or a long, so that a decision equals its copy read back from
     * the store (JSON text loses the difference between 1.0, 1 and 1E+0).
     */
    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = Json.object();
            node.properties().forEach(e -> copy.set(e.getKey(), canonical(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = Json.array();
            node.forEach(e -> copy.add(canonical(e)));
            return copy;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return LongNode.valueOf(node.longValue());
        }
        if (node.isNumber()) {
            return DoubleNode.valueOf(node.doubleValue());
        }
        return node;
    }
}
