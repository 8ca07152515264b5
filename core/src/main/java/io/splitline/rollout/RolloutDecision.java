package io.splitline.rollout;

import io.splitline.json.JsonValue;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
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
                              String reason, JsonValue observations) {
    /** The actor of every decision the scheduled step makes. */
    public static final String STEP_ACTOR = "rollout-step";

    public RolloutDecision {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(reason, "reason");
        observations = observations == null ? JsonValue.JsonNull.NULL : canonical(observations);
    }

    /** An operator's action, without observations. */
    public static RolloutDecision manual(Instant at, String actor, String action, int fromPercent, int toPercent) {
        return new RolloutDecision(at, actor, Decision.MANUAL, fromPercent, toPercent, action, null);
    }

    /**
     * A copy with every number as a double or a long, so that a decision equals its copy read back from
     * the store (JSON text loses the difference between 1.0, 1 and 1E+0).
     */
    private static JsonValue canonical(JsonValue value) {
        if (value instanceof JsonValue.JsonObject o) {
            Map<String, JsonValue> copy = new LinkedHashMap<>();
            o.fields().forEach((k, v) -> copy.put(k, canonical(v)));
            return new JsonValue.JsonObject(copy);
        }
        if (value instanceof JsonValue.JsonArray a) {
            return new JsonValue.JsonArray(a.elements().stream().map(RolloutDecision::canonical).toList());
        }
        if (value instanceof JsonValue.JsonNumber n) {
            return new JsonValue.JsonNumber(integral(n.value()) ? (Number) n.value().longValue() : (Number) n.value().doubleValue());
        }
        return value;
    }

    /** An integer that fits a long, as Jackson's {@code isIntegralNumber() && canConvertToLong()} said. */
    private static boolean integral(Number n) {
        return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger i && i.bitLength() < Long.SIZE;
    }
}
