package io.splitline.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import io.splitline.json.JsonValues;
import io.splitline.rollout.traffic.TargetJson;
import java.time.Instant;
import java.util.List;

/**
 * The API form of rollouts: the definition written with the defaults made explicit, and a {@link Rollout}
 * (definition plus state) written and read back. Parsing and its rules are {@link RolloutParser}'s, the
 * bounds {@link RolloutLimits}', the history entries {@link RolloutHistoryJson}'s. Schema version 1 of the
 * stored form ({@link RolloutStoreCodec}) is this form, so a stored rollout reads back through the same rules.
 */
public final class RolloutJson {
    /** Fields the stored form adds to the definition. */
    public static final List<String> STATE_FIELDS = List.of("status", "stageIndex", "percent", "stageStartedAt",
            "version", "lastDecision", "createdAt", "updatedAt");

    private RolloutJson() {
    }

    /** Parses a definition ({@code POST /rollouts} body), applying the documented defaults: {@link RolloutParser}'s rules. */
    public static RolloutSpec parseSpec(JsonNode body) {
        return RolloutParser.parseSpec(body);
    }

    /** The definition in API form, defaults made explicit. */
    public static ObjectNode specToJson(RolloutSpec spec) {
        ObjectNode node = Json.object();
        node.put("key", spec.key());
        node.put("description", spec.description());
        ArrayNode stages = node.putArray("stages");
        for (Stage s : spec.stages()) {
            ObjectNode stage = stages.addObject();
            stage.put("percent", s.percent());
            stage.put("bake", s.bake().toString());
        }
        node.set("health", healthToJson(spec.health()));
        if (spec.startAt() != null) {
            node.put("startAt", spec.startAt().toString());
        }
        if (spec.holdout() != null) {
            node.put("holdout", spec.holdout());
        }
        if (spec.target() != null) {
            node.set("target", TargetJson.toJson(spec.target()));
        }
        return node;
    }

    private static ObjectNode healthToJson(HealthSpec health) {
        ObjectNode node = Json.object();
        ArrayNode metrics = node.putArray("metrics");
        for (MetricCheck m : health.metrics()) {
            ObjectNode metric = metrics.addObject();
            metric.put("name", m.name());
            writeQuery(metric, m.query());
            metric.put("periodSeconds", m.periodSeconds());
            metric.put("comparison", m.comparison().json());
            metric.put("threshold", m.threshold());
        }
        ArrayNode ratios = node.putArray("ratios");
        for (RatioCheck r : health.ratios()) {
            ObjectNode ratio = ratios.addObject();
            ratio.put("name", r.name());
            writeQuery(ratio.putObject("numerator"), r.numerator());
            writeQuery(ratio.putObject("denominator"), r.denominator());
            ratio.put("periodSeconds", r.periodSeconds());
            ratio.put("comparison", r.comparison().json());
            ratio.put("threshold", r.threshold());
        }
        ArrayNode alarms = node.putArray("alarms");
        health.alarms().forEach(alarms::add);
        node.put("minimumDataPoints", health.minimumDataPoints());
        ArrayNode guardrails = node.putArray("guardrails");
        for (Guardrail g : health.guardrails()) {
            ObjectNode guardrail = guardrails.addObject();
            guardrail.put("metric", g.metric());
            guardrail.put("type", g.type().json());
            guardrail.put("direction", g.direction().json());
        }
        node.put("alpha", health.alpha());
        node.put("minimumUnitsPerArm", health.minimumUnitsPerArm());
        return node;
    }

    private static void writeQuery(ObjectNode node, MetricQuery query) {
        node.put("namespace", query.namespace());
        node.put("metricName", query.metricName());
        ObjectNode dimensions = node.putObject("dimensions");
        query.dimensions().forEach(dimensions::put);
        node.put("statistic", query.statistic().name());
    }

    /** The stored form returned by every rollout route: the definition, defaults explicit, plus its state. */
    public static ObjectNode toJson(Rollout r) {
        ObjectNode node = specToJson(r.spec());
        node.put("status", r.status().json());
        node.put("stageIndex", r.stageIndex());
        node.put("percent", r.percent());
        node.put("stageStartedAt", r.stageStartedAt() == null ? null : r.stageStartedAt().toString());
        node.put("version", r.version());
        node.set("lastDecision", decisionToJson(r.lastDecision()));
        node.put("createdAt", r.createdAt().toString());
        node.put("updatedAt", r.updatedAt().toString());
        return node;
    }

    /** Reads what {@link #toJson(Rollout)} wrote. */
    public static Rollout fromJson(JsonNode stored) {
        ObjectNode spec = stored.deepCopy();
        STATE_FIELDS.forEach(spec::remove);
        JsonNode started = stored.get("stageStartedAt");
        return new Rollout(parseSpec(spec),
                RolloutStatus.fromJson(stored.get("status").textValue()).orElseThrow(),
                stored.get("stageIndex").intValue(),
                stored.get("percent").intValue(),
                started == null || started.isNull() ? null : Instant.parse(started.textValue()),
                stored.get("version").longValue(),
                decisionFromJson(stored.get("lastDecision")),
                Instant.parse(stored.get("createdAt").textValue()),
                Instant.parse(stored.get("updatedAt").textValue()));
    }

    /** {@code {"at", "actor", "decision", "fromPercent", "toPercent", "reason", "observations"}}. */
    public static ObjectNode decisionToJson(RolloutDecision d) {
        ObjectNode node = Json.object();
        node.put("at", d.at().toString());
        node.put("actor", d.actor());
        node.put("decision", d.decision().json());
        node.put("fromPercent", d.fromPercent());
        node.put("toPercent", d.toPercent());
        node.put("reason", d.reason());
        node.set("observations", JsonValues.node(d.observations()));
        return node;
    }

    static RolloutDecision decisionFromJson(JsonNode node) {
        return new RolloutDecision(Instant.parse(node.get("at").textValue()), node.get("actor").textValue(),
                Decision.fromJson(node.get("decision").textValue()).orElseThrow(),
                node.get("fromPercent").intValue(), node.get("toPercent").intValue(),
                node.get("reason").textValue(), node.has("observations") ? JsonValues.of(node.get("observations")) : null);
    }
}
