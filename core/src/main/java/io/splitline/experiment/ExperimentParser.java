package io.splitline.experiment;

import static io.splitline.experiment.ExperimentLimits.AGGREGATE_SHARD_COUNTS;
import static io.splitline.experiment.ExperimentLimits.DEFAULT_AGGREGATE_SHARDS;
import static io.splitline.experiment.ExperimentLimits.DEFAULT_EXPECTED_UNITS_PER_VARIANT;
import static io.splitline.experiment.ExperimentLimits.DEFAULT_LOOKBACK_DAYS;
import static io.splitline.experiment.ExperimentLimits.MAX_CONFIG_DEPTH;
import static io.splitline.experiment.ExperimentLimits.MAX_DESCRIPTION;
import static io.splitline.experiment.ExperimentLimits.MAX_LOOKBACK_DAYS;
import static io.splitline.experiment.ExperimentLimits.MAX_METRICS;
import static io.splitline.experiment.ExperimentLimits.MAX_OVERRIDES;
import static io.splitline.experiment.ExperimentLimits.MAX_VARIANTS;
import static io.splitline.experiment.ExperimentLimits.MIN_VARIANTS;
import static io.splitline.experiment.ExperimentLimits.WEIGHT_TOLERANCE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.error.InvalidFieldException;
import io.splitline.json.Fields;
import io.splitline.json.Json;
import io.splitline.json.JsonValues;
import io.splitline.targeting.Targeting;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the API form of experiment definitions with every validation rule of the contract (each failure
 * carries the JSON path of the field), applying the documented defaults; the bounds are
 * {@link ExperimentLimits}'. {@link ExperimentJson#parseSpec} is the entry point callers use.
 */
public final class ExperimentParser {
    /** The fields a client may send when creating an experiment. */
    public static final Set<String> SPEC_FIELDS = Set.of("key", "description", "variants", "control", "coverage",
            "targeting", "overrides", "namespace", "metrics", "confidenceLevel", "minimumSampleSize", "startAt", "endAt",
            "multipleTesting", "expectedUnitsPerVariant", "holdout", "dimensions", "lookbackDays", "aggregateShards");

    private ExperimentParser() {
    }

    /** Parses a definition ({@code POST /experiments} body), applying the documented defaults. */
    public static ExperimentSpec parseSpec(JsonNode body) {
        Fields f = Fields.root(body).allowOnly(SPEC_FIELDS);
        String key = f.key("key");
        String description = f.optionalString("description", MAX_DESCRIPTION).orElse("");
        List<Variant> variants = variants(f);
        String control = f.optionalKey("control").orElse(variants.get(0).key());
        if (variants.stream().noneMatch(v -> v.key().equals(control))) {
            throw new InvalidFieldException(f.path("control"), "control '" + control + "' is not one of the variants");
        }
        double coverage = f.optionalNumber("coverage").orElse(1.0);
        if (coverage < 0 || coverage > 1) {
            throw new InvalidFieldException(f.path("coverage"), "coverage must be between 0 and 1");
        }
        var targeting = f.has("targeting") ? Targeting.parse(f.raw("targeting"), f.path("targeting")) : null;
        Map<String, String> overrides = overrides(f, variants);
        Namespace namespace = f.optionalObject("namespace").map(ExperimentParser::namespace).orElse(null);
        List<Metric> metrics = metrics(f);
        double confidence = f.optionalNumber("confidenceLevel").orElse(0.95);
        if (!(confidence > 0.5 && confidence < 1)) {
            throw new InvalidFieldException(f.path("confidenceLevel"), "confidenceLevel must be greater than 0.5 and less than 1");
        }
        long minimumSampleSize = f.optionalInteger("minimumSampleSize").orElse(100L);
        if (minimumSampleSize < 1 || minimumSampleSize > 1_000_000_000L) {
            throw new InvalidFieldException(f.path("minimumSampleSize"), "minimumSampleSize must be between 1 and 1000000000");
        }
        Instant startAt = f.optionalInstant("startAt").orElse(null);
        Instant endAt = f.optionalInstant("endAt").orElse(null);
        if (startAt != null && endAt != null && !endAt.isAfter(startAt)) {
            throw new InvalidFieldException(f.path("endAt"), "endAt (" + endAt + ") must be after startAt (" + startAt + ")");
        }
        MultipleTestingCorrection multipleTesting = f.optionalLowerCaseEnum("multipleTesting",
                MultipleTestingCorrection.class).orElse(MultipleTestingCorrection.HOLM);
        long expectedUnits = f.optionalInteger("expectedUnitsPerVariant").orElse(DEFAULT_EXPECTED_UNITS_PER_VARIANT);
        if (expectedUnits < 10 || expectedUnits > 1_000_000_000L) {
            throw new InvalidFieldException(f.path("expectedUnitsPerVariant"),
                    "expectedUnitsPerVariant must be between 10 and 1000000000");
        }
        return new ExperimentSpec(key, description, variants, control, coverage, targeting, overrides, namespace,
                metrics, confidence, (int) minimumSampleSize, startAt, endAt, multipleTesting, expectedUnits,
                f.optionalKey("holdout").orElse(null), DimensionsJson.parse(f), lookbackDays(f), aggregateShards(f));
    }

    private static int lookbackDays(Fields f) {
        long days = f.optionalInteger("lookbackDays").orElse((long) DEFAULT_LOOKBACK_DAYS);
        if (days < 1 || days > MAX_LOOKBACK_DAYS) {
            throw new InvalidFieldException(f.path("lookbackDays"), "lookbackDays must be between 1 and " + MAX_LOOKBACK_DAYS
                    + " (whole days before exposure whose keyless events give CUPED's covariate; default " + DEFAULT_LOOKBACK_DAYS + ")");
        }
        return (int) days;
    }

    private static int aggregateShards(Fields f) {
        long shards = f.optionalInteger("aggregateShards").orElse((long) DEFAULT_AGGREGATE_SHARDS);
        if (!AGGREGATE_SHARD_COUNTS.contains((int) shards) || shards != (int) shards) {
            throw new InvalidFieldException(f.path("aggregateShards"), "aggregateShards must be one of " + AGGREGATE_SHARD_COUNTS
                    + " (the aggregate partitions ingest spreads the sums over: ~1 000 writes/s each, one query each per"
                    + " results call; default " + DEFAULT_AGGREGATE_SHARDS + ")");
        }
        return (int) shards;
    }

    private static List<Variant> variants(Fields f) {
        List<Fields.Element> elements = f.array("variants");
        if (elements.size() < MIN_VARIANTS || elements.size() > MAX_VARIANTS) {
            throw new InvalidFieldException(f.path("variants"),
                    "an experiment needs " + MIN_VARIANTS + "-" + MAX_VARIANTS + " variants (got " + elements.size() + ")");
        }
        List<Variant> variants = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        double sum = 0;
        for (Fields.Element e : elements) {
            Fields v = e.object().allowOnly(Set.of("key", "weight", "config"));
            String key = v.key("key");
            if (!keys.add(key)) {
                throw new InvalidFieldException(v.path("key"), "duplicate variant key '" + key + "'");
            }
            double weight = v.number("weight");
            if (weight < 0 || weight > 1) {
                throw new InvalidFieldException(v.path("weight"), "weight must be between 0 and 1");
            }
            ObjectNode config = v.optionalObject("config").map(Fields::node).orElse(null);
            if (config != null && Json.depth(config) > MAX_CONFIG_DEPTH) {
                throw new InvalidFieldException(v.path("config"), v.path("config") + " nests " + Json.depth(config)
                        + " levels of objects and arrays; at most " + MAX_CONFIG_DEPTH + " are stored");
            }
            variants.add(new Variant(key, weight, JsonValues.of(config)));
            sum += weight;
        }
        if (Math.abs(sum - 1.0) > WEIGHT_TOLERANCE) {
            throw new InvalidFieldException(f.path("variants"), "variant weights must sum to 1 (they sum to " + sum + ")");
        }
        return variants;
    }

    private static Map<String, String> overrides(Fields f, List<Variant> variants) {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (!f.has("overrides")) {
            return overrides;
        }
        Fields o = f.object("overrides");
        if (o.node().size() > MAX_OVERRIDES) {
            throw new InvalidFieldException(o.path(), "at most " + MAX_OVERRIDES + " overrides");
        }
        for (Map.Entry<String, JsonNode> entry : o.node().properties()) {
            String path = o.path() + "." + entry.getKey();
            Fields.requireUnitId(entry.getKey(), path);
            if (!entry.getValue().isTextual()) {
                throw new InvalidFieldException(path, path + " must be a variant key");
            }
            String variant = entry.getValue().textValue();
            if (variants.stream().noneMatch(v -> v.key().equals(variant))) {
                throw new InvalidFieldException(path, "override names unknown variant '" + variant + "'");
            }
            overrides.put(entry.getKey(), variant);
        }
        return overrides;
    }

    private static Namespace namespace(Fields n) {
        n.allowOnly(Set.of("name", "start", "end"));
        String name = n.key("name");
        double start = n.number("start");
        double end = n.number("end");
        if (start < 0 || start >= 1) {
            throw new InvalidFieldException(n.path("start"), "namespace start must be in [0, 1)");
        }
        if (end <= start || end > 1) {
            throw new InvalidFieldException(n.path("end"), "namespace end must be greater than start and at most 1");
        }
        return new Namespace(name, start, end);
    }

    private static List<Metric> metrics(Fields f) {
        List<Metric> metrics = new ArrayList<>();
        if (!f.has("metrics")) {
            return metrics;
        }
        List<Fields.Element> elements = f.array("metrics");
        if (elements.size() > MAX_METRICS) {
            throw new InvalidFieldException(f.path("metrics"), "at most " + MAX_METRICS + " metrics");
        }
        Set<String> keys = new HashSet<>();
        boolean primarySeen = false;
        for (Fields.Element e : elements) {
            Fields m = e.object().allowOnly(Set.of("key", "type", "direction", "role", "minimumDetectableEffect",
                    "numerator", "denominator", "cap"));
            String key = m.key("key");
            if (!keys.add(key)) {
                throw new InvalidFieldException(m.path("key"), "duplicate metric key '" + key + "'");
            }
            MetricType type = m.lowerCaseEnum("type", MetricType.class);
            Direction direction = m.optionalLowerCaseEnum("direction", Direction.class).orElse(Direction.INCREASE);
            MetricRole role = m.optionalLowerCaseEnum("role", MetricRole.class).orElse(MetricRole.SECONDARY);
            if (role == MetricRole.PRIMARY) {
                if (primarySeen) {
                    throw new InvalidFieldException(m.path("role"), "only one metric can be primary");
                }
                primarySeen = true;
            }
            Double mde = m.optionalNumber("minimumDetectableEffect").orElse(null);
            if (mde != null && !(mde > 0 && mde <= 10)) {
                throw new InvalidFieldException(m.path("minimumDetectableEffect"),
                        "minimumDetectableEffect is a relative lift: greater than 0 and at most 10");
            }
            if (type == MetricType.QUANTILE && role != MetricRole.SECONDARY) {
                throw new InvalidFieldException(m.path("role"), "a quantile metric is reported, never decisive: its role is secondary");
            }
            metrics.add(withCap(m, withRatioParts(m, key, type, direction, role, mde)));
        }
        return metrics;
    }

    /** The metric, with a ratio's numerator and denominator (required for a ratio, refused otherwise). */
    private static Metric withRatioParts(Fields m, String key, MetricType type, Direction direction, MetricRole role,
                                         Double mde) {
        if (type != MetricType.RATIO) {
            for (String part : List.of("numerator", "denominator")) {
                if (m.has(part)) {
                    throw new InvalidFieldException(m.path(part), part + " is only for metrics of type ratio");
                }
            }
            return new Metric(key, type, direction, role, mde);
        }
        String numerator = m.key("numerator");
        String denominator = m.key("denominator");
        if (numerator.equals(denominator)) {
            throw new InvalidFieldException(m.path("denominator"), "a ratio's denominator must be another metric than its numerator");
        }
        return new Metric(key, type, direction, role, mde, numerator, denominator);
    }

    /** The metric with its {@code cap}, which only a mean metric may have. */
    private static Metric withCap(Fields m, Metric metric) {
        if (!m.has("cap")) {
            return metric;
        }
        if (metric.type() != MetricType.MEAN) {
            throw new InvalidFieldException(m.path("cap"), "cap is only for metrics of type mean (a conversion counts units "
                    + "above 0, which a cap above 0 does not change)");
        }
        return metric.withCap(MetricCapJson.parse(m.object("cap")));
    }
}
