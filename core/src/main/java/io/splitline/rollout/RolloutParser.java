package io.splitline.rollout;

import static io.splitline.rollout.RolloutLimits.DEFAULT_PERIOD_SECONDS;
import static io.splitline.rollout.RolloutLimits.MAX_ALARMS;
import static io.splitline.rollout.RolloutLimits.MAX_BAKE;
import static io.splitline.rollout.RolloutLimits.MAX_DESCRIPTION;
import static io.splitline.rollout.RolloutLimits.MAX_DIMENSIONS;
import static io.splitline.rollout.RolloutLimits.MAX_DIMENSION_VALUE;
import static io.splitline.rollout.RolloutLimits.MAX_GUARDRAILS;
import static io.splitline.rollout.RolloutLimits.MAX_METRIC_CHECKS;
import static io.splitline.rollout.RolloutLimits.MAX_MINIMUM_DATA_POINTS;
import static io.splitline.rollout.RolloutLimits.MAX_MINIMUM_UNITS_PER_ARM;
import static io.splitline.rollout.RolloutLimits.MAX_NAME;
import static io.splitline.rollout.RolloutLimits.MAX_PERIOD_SECONDS;
import static io.splitline.rollout.RolloutLimits.MAX_RATIO_CHECKS;
import static io.splitline.rollout.RolloutLimits.MAX_STAGES;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.error.InvalidFieldException;
import io.splitline.experiment.Direction;
import io.splitline.experiment.MetricType;
import io.splitline.json.EnumCodec;
import io.splitline.json.Fields;
import io.splitline.json.Json;
import io.splitline.rollout.traffic.TargetJson;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the API form of rollout definitions and of a promote with every validation rule of the contract
 * (each failure carries the JSON path of the field), applying the documented defaults; the bounds are
 * {@link RolloutLimits}'. {@link RolloutJson#parseSpec} is the entry point callers use.
 */
public final class RolloutParser {
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

    private RolloutParser() {
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
        HealthSpec health = f.optionalObject("health").map(RolloutParser::health).orElse(HealthSpec.NONE);
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
                c.path("comparison") + " must be one of " + EnumCodec.names(Comparison.class, Comparison::json) + " (got '" + abbreviate(value) + "')"));
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

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
