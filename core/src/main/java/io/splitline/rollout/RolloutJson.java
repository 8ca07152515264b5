package io.splitline.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.error.InvalidFieldException;
import io.splitline.experiment.Direction;
import io.splitline.experiment.MetricType;
import io.splitline.json.Fields;
import io.splitline.json.Json;
import io.splitline.rollout.traffic.TargetJson;
import io.splitline.store.HistoryEntry;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API form of rollout definitions: parsing with every validation rule of the contract (each failure
 * carries the JSON path of the field), and writing with the defaults made explicit. The same form is
 * what the store keeps, so a stored definition reads back through the same rules. Also the stored form
 * of a {@link Rollout} (definition plus state) and of its history entries.
 */
public final class RolloutJson {
    public static final int MAX_STAGES = 20;
    public static final int MAX_DESCRIPTION = 1024;
    public static final Duration MAX_BAKE = Duration.ofDays(30);
    public static final int MAX_METRIC_CHECKS = 20;
    public static final int MAX_RATIO_CHECKS = 20;
    /** DescribeAlarms accepts at most 100 names in one call. */
    public static final int MAX_ALARMS = 100;
    public static final int MAX_GUARDRAILS = 20;
    /** CloudWatch's limit of dimensions per metric. */
    public static final int MAX_DIMENSIONS = 30;
    /** CloudWatch's limit for namespaces, metric names, dimension names and alarm names. */
    public static final int MAX_NAME = 255;
    /** CloudWatch's limit for dimension values. */
    public static final int MAX_DIMENSION_VALUE = 1024;
    public static final int DEFAULT_PERIOD_SECONDS = 60;
    /** One day: longer periods would not fit the window of a stage a step judges. */
    public static final int MAX_PERIOD_SECONDS = 86_400;
    public static final int MAX_MINIMUM_DATA_POINTS = 10_000;
    public static final int MAX_MINIMUM_UNITS_PER_ARM = 1_000_000_000;

    /** Fields the stored form adds to the definition. */
    public static final List<String> STATE_FIELDS = List.of("status", "stageIndex", "percent", "stageStartedAt",
            "version", "lastDecision", "createdAt", "updatedAt");

    /** The fields a client may send when creating a rollout. */
    public static final Set<String> SPEC_FIELDS = Set.of("key", "description", "stages", "health", "startAt", "holdout", "target");
    private static final Set<String> HEALTH_FIELDS = Set.of("metrics", "ratios", "alarms", "minimumDataPoints",
            "guardrails", "alpha", "minimumUnitsPerArm");
    private static final Set<String> METRIC_FIELDS = Set.of("name", "namespace", "metricName", "dimensions",
            "statistic", "periodSeconds", "comparison", "threshold");
    private static final Set<String> RATIO_FIELDS = Set.of("name", "numerator", "denominator", "periodSeconds",
            "comparison", "threshold");
    private static final Set<String> QUERY_FIELDS = Set.of("namespace", "metricName", "dimensions", "statistic");
    private static final Set<Long> HIGH_RESOLUTION_PERIODS = Set.of(1L, 5L, 10L, 30L);

    private RolloutJson() {
    }

    /**
     * Parses the body of {@code POST /rollouts/{key}/promote}, {@code {"fromPercent": N}}: the percent the
     * operator saw and promotes from, required so that a promote never skips a stage.
     */
    public static int parsePromote(String body) {
        String required = "fromPercent is required: send {\"fromPercent\": N} with the percent the rollout is at"
                + " (GET /rollouts/{key}), so that a promote racing the step or another operator cannot skip a stage";
        if (body == null || body.isBlank()) {
            throw new InvalidFieldException("fromPercent", required);
        }
        Fields f = Fields.root(Json.parse(body)).allowOnly(Set.of("fromPercent"));
        if (!f.has("fromPercent")) {
            throw new InvalidFieldException("fromPercent", required);
        }
        long percent = f.integer("fromPercent");
        if (percent < 0 || percent > 100) {
            throw new InvalidFieldException("fromPercent", "fromPercent must be a whole percent from 0 to 100 (got " + percent + ")");
        }
        return (int) percent;
    }

    /** Parses a definition ({@code POST /rollouts} body), applying the documented defaults. */
    public static RolloutSpec parseSpec(JsonNode body) {
        Fields f = Fields.root(body).allowOnly(SPEC_FIELDS);
        String key = f.key("key");
        String description = f.optionalString("description", MAX_DESCRIPTION).orElse("");
        List<Stage> stages = stages(f);
        HealthSpec health = f.optionalObject("health").map(RolloutJson::health).orElse(HealthSpec.NONE);
        return new RolloutSpec(key, description, stages, health, f.optionalInstant("startAt").orElse(null),
                f.optionalKey("holdout").orElse(null), f.optionalObject("target").map(TargetJson::parse).orElse(null));
    }

    private static List<Stage> stages(Fields f) {
        List<Fields.Element> elements = f.array("stages");
        if (elements.isEmpty() || elements.size() > MAX_STAGES) {
            throw new InvalidFieldException(f.path("stages"),
                    "a rollout needs 1-" + MAX_STAGES + " stages (got " + elements.size() + ")");
        }
        List<Stage> stages = new ArrayList<>();
        int previous = 0;
        for (Fields.Element e : elements) {
            Fields s = e.object().allowOnly(Set.of("percent", "bake"));
            long percent = s.integer("percent");
            if (percent < 1 || percent > 100) {
                throw new InvalidFieldException(s.path("percent"), s.path("percent") + " must be a whole percent from 1 to 100");
            }
            if (percent <= previous) {
                throw new InvalidFieldException(s.path("percent"),
                        "stage percents must be strictly increasing (" + percent + " follows " + previous + ")");
            }
            previous = (int) percent;
            stages.add(new Stage((int) percent, bake(s)));
        }
        if (previous != 100) {
            throw new InvalidFieldException(f.path("stages") + "[" + (elements.size() - 1) + "].percent",
                    "the last stage must be at 100 percent (got " + previous + ")");
        }
        return stages;
    }

    private static Duration bake(Fields s) {
        String text = s.string("bake");
        Duration bake;
        try {
            bake = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidFieldException(s.path("bake"),
                    s.path("bake") + " must be an ISO-8601 duration such as PT30M or P1D (got '" + abbreviate(text) + "')");
        }
        if (bake.isNegative() || bake.compareTo(MAX_BAKE) > 0) {
            throw new InvalidFieldException(s.path("bake"), s.path("bake") + " must be between PT0S and P30D");
        }
        return bake;
    }

    private static HealthSpec health(Fields h) {
        h.allowOnly(HEALTH_FIELDS);
        Set<String> checkNames = new HashSet<>();
        List<MetricCheck> metrics = new ArrayList<>();
        for (Fields.Element e : bounded(h, "metrics", MAX_METRIC_CHECKS)) {
            metrics.add(metricCheck(e.object(), checkNames));
        }
        List<RatioCheck> ratios = new ArrayList<>();
        for (Fields.Element e : bounded(h, "ratios", MAX_RATIO_CHECKS)) {
            ratios.add(ratioCheck(e.object(), checkNames));
        }
        List<String> alarms = alarms(h);
        int minimumDataPoints = (int) boundedInteger(h, "minimumDataPoints",
                HealthSpec.DEFAULT_MINIMUM_DATA_POINTS, 1, MAX_MINIMUM_DATA_POINTS);
        List<Guardrail> guardrails = guardrails(h);
        double alpha = h.optionalNumber("alpha").orElse(HealthSpec.DEFAULT_ALPHA);
        if (!(alpha > 0 && alpha <= 0.5)) {
            throw new InvalidFieldException(h.path("alpha"), h.path("alpha") + " must be greater than 0 and at most 0.5");
        }
        int minimumUnitsPerArm = (int) boundedInteger(h, "minimumUnitsPerArm",
                HealthSpec.DEFAULT_MINIMUM_UNITS_PER_ARM, 1, MAX_MINIMUM_UNITS_PER_ARM);
        return new HealthSpec(metrics, ratios, alarms, minimumDataPoints, guardrails, alpha, minimumUnitsPerArm);
    }

    private static MetricCheck metricCheck(Fields m, Set<String> checkNames) {
        m.allowOnly(METRIC_FIELDS);
        String name = checkName(m, checkNames);
        MetricQuery query = query(m);
        return new MetricCheck(name, query.namespace(), query.metricName(), query.dimensions(), query.statistic(),
                period(m), comparison(m), m.number("threshold"));
    }

    private static RatioCheck ratioCheck(Fields r, Set<String> checkNames) {
        r.allowOnly(RATIO_FIELDS);
        String name = checkName(r, checkNames);
        MetricQuery numerator = query(r.object("numerator").allowOnly(QUERY_FIELDS));
        MetricQuery denominator = query(r.object("denominator").allowOnly(QUERY_FIELDS));
        return new RatioCheck(name, numerator, denominator, period(r), comparison(r), r.number("threshold"));
    }

    private static String checkName(Fields c, Set<String> checkNames) {
        String name = c.key("name");
        if (!checkNames.add(name)) {
            throw new InvalidFieldException(c.path("name"), "duplicate check name '" + name + "' (metric and ratio check names share one space)");
        }
        return name;
    }

    private static MetricQuery query(Fields q) {
        String namespace = cloudWatchName(q, "namespace");
        if (namespace.startsWith(":")) {
            throw new InvalidFieldException(q.path("namespace"), q.path("namespace") + " must not start with ':'");
        }
        String metricName = cloudWatchName(q, "metricName");
        Map<String, String> dimensions = dimensions(q);
        Statistic statistic = Statistic.parse(q.string("statistic"), q.path("statistic"));
        return new MetricQuery(namespace, metricName, dimensions, statistic);
    }

    private static String cloudWatchName(Fields f, String field) {
        String value = f.optionalString(field, MAX_NAME).orElseThrow(() -> new InvalidFieldException(f.path(field), f.path(field) + " is required"));
        if (value.isBlank()) {
            throw new InvalidFieldException(f.path(field), f.path(field) + " must not be blank");
        }
        return value;
    }

    private static Map<String, String> dimensions(Fields q) {
        Map<String, String> dimensions = new LinkedHashMap<>();
        if (!q.has("dimensions")) {
            return dimensions;
        }
        Fields d = q.object("dimensions");
        if (d.node().size() > MAX_DIMENSIONS) {
            throw new InvalidFieldException(d.path(), "at most " + MAX_DIMENSIONS + " dimensions");
        }
        for (Map.Entry<String, JsonNode> entry : d.node().properties()) {
            String path = d.path(entry.getKey());
            if (entry.getKey().isBlank() || entry.getKey().length() > MAX_NAME) {
                throw new InvalidFieldException(path, "dimension names must be 1-" + MAX_NAME + " characters, not blank");
            }
            if (!entry.getValue().isTextual()) {
                throw new InvalidFieldException(path, path + " must be a string");
            }
            String value = entry.getValue().textValue();
            if (value.isEmpty() || value.length() > MAX_DIMENSION_VALUE) {
                throw new InvalidFieldException(path, path + " must be 1-" + MAX_DIMENSION_VALUE + " characters");
            }
            dimensions.put(entry.getKey(), value);
        }
        return dimensions;
    }

    private static int period(Fields c) {
        long period = c.optionalInteger("periodSeconds").orElse((long) DEFAULT_PERIOD_SECONDS);
        boolean valid = HIGH_RESOLUTION_PERIODS.contains(period)
                || (period >= 60 && period <= MAX_PERIOD_SECONDS && period % 60 == 0);
        if (!valid) {
            throw new InvalidFieldException(c.path("periodSeconds"), c.path("periodSeconds")
                    + " must be 1, 5, 10, 30 (high resolution) or a multiple of 60 up to " + MAX_PERIOD_SECONDS + " (got " + period + ")");
        }
        return (int) period;
    }

    private static Comparison comparison(Fields c) {
        String value = c.string("comparison");
        return Comparison.fromJson(value).orElseThrow(() -> new InvalidFieldException(c.path("comparison"),
                c.path("comparison") + " must be one of " + names(Comparison.values()) + " (got '" + abbreviate(value) + "')"));
    }

    private static List<String> alarms(Fields h) {
        List<String> alarms = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Fields.Element e : bounded(h, "alarms", MAX_ALARMS)) {
            String name = e.string();
            if (name.isBlank() || name.length() > MAX_NAME) {
                throw new InvalidFieldException(e.path(), "alarm names must be 1-" + MAX_NAME + " characters, not blank");
            }
            if (!seen.add(name)) {
                throw new InvalidFieldException(e.path(), "duplicate alarm name '" + abbreviate(name) + "'");
            }
            alarms.add(name);
        }
        return alarms;
    }

    private static List<Guardrail> guardrails(Fields h) {
        List<Guardrail> guardrails = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Fields.Element e : bounded(h, "guardrails", MAX_GUARDRAILS)) {
            Fields g = e.object().allowOnly(Set.of("metric", "type", "direction"));
            String metric = g.key("metric");
            if (!seen.add(metric)) {
                throw new InvalidFieldException(g.path("metric"), "duplicate guardrail metric '" + metric + "'");
            }
            // Both required: a defaulted direction would silently invert the gate.
            MetricType type = g.lowerCaseEnum("type", MetricType.class);
            if (type == MetricType.RATIO || type == MetricType.QUANTILE) {
                throw new InvalidFieldException(g.path("type"), "a rollout guardrail is a conversion or mean metric");
            }
            Direction direction = g.lowerCaseEnum("direction", Direction.class);
            guardrails.add(new Guardrail(metric, type, direction));
        }
        return guardrails;
    }

    private static List<Fields.Element> bounded(Fields f, String name, int max) {
        List<Fields.Element> elements = f.optionalArray(name).orElse(List.of());
        if (elements.size() > max) {
            throw new InvalidFieldException(f.path(name), "at most " + max + " " + name + " (got " + elements.size() + ")");
        }
        return elements;
    }

    private static long boundedInteger(Fields f, String name, long fallback, long min, long max) {
        long value = f.optionalInteger(name).orElse(fallback);
        if (value < min || value > max) {
            throw new InvalidFieldException(f.path(name), f.path(name) + " must be between " + min + " and " + max);
        }
        return value;
    }

    private static List<String> names(Comparison[] values) {
        List<String> names = new ArrayList<>();
        for (Comparison c : values) {
            names.add(c.json());
        }
        return names;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
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
        node.set("observations", d.observations());
        return node;
    }

    static RolloutDecision decisionFromJson(JsonNode node) {
        return new RolloutDecision(Instant.parse(node.get("at").textValue()), node.get("actor").textValue(),
                Decision.fromJson(node.get("decision").textValue()).orElseThrow(),
                node.get("fromPercent").intValue(), node.get("toPercent").intValue(),
                node.get("reason").textValue(), node.get("observations"));
    }

    /**
     * The history entry recording how {@code r} came to be: its decision, with the status and stage it
     * left the rollout in ({@code changes} of the store's entry; the creation entry also keeps the
     * whole definition).
     */
    public static HistoryEntry historyEntry(Rollout r) {
        RolloutDecision d = r.lastDecision();
        ObjectNode changes = Json.object();
        changes.put("fromPercent", d.fromPercent());
        changes.put("toPercent", d.toPercent());
        changes.put("status", r.status().json());
        changes.put("stageIndex", r.stageIndex());
        changes.put("reason", d.reason());
        changes.set("observations", d.observations());
        if (r.version() == 1) {
            changes.set("definition", specToJson(r.spec()));
        }
        return new HistoryEntry(d.at(), d.actor(), d.decision().json(), r.version(), changes);
    }

    /**
     * The API form of a history entry: {@code {"at", "actor", "version", "decision", "fromPercent",
     * "toPercent", "status", "stageIndex", "reason", "observations"}} (+ {@code definition} on creation,
     * + {@code count}, {@code lastSeenAt} and {@code lastVersion} on collapsed holds).
     */
    public static ObjectNode historyEntryToJson(HistoryEntry e) {
        ObjectNode node = Json.object();
        node.put("at", e.at().toString());
        node.put("actor", e.actor());
        node.put("version", e.version());
        node.put("decision", e.action());
        node.setAll((ObjectNode) e.changes());
        e.putCount(node);
        return node;
    }
}
