package io.splitline.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import io.splitline.json.JsonValues;
import io.splitline.targeting.Targeting;

/**
 * The API form of experiments: writing it, and reading it back (parsing and its rules are
 * {@link ExperimentParser}'s, the bounds {@link ExperimentLimits}'). Schema version 2 of the stored form
 * ({@link ExperimentStoreCodec}) is this form, so a stored experiment reads back through the same rules.
 */
public final class ExperimentJson {
    private ExperimentJson() {
    }

    /** Parses a definition ({@code POST /experiments} body), applying the documented defaults: {@link ExperimentParser}'s rules. */
    public static ExperimentSpec parseSpec(JsonNode body) {
        return ExperimentParser.parseSpec(body);
    }

    /** The definition in API form, defaults made explicit. */
    public static ObjectNode specToJson(ExperimentSpec spec) {
        ObjectNode node = Json.object();
        node.put("key", spec.key());
        node.put("description", spec.description());
        ArrayNode variants = node.putArray("variants");
        for (Variant v : spec.variants()) {
            ObjectNode variant = variants.addObject();
            variant.put("key", v.key());
            variant.put("weight", v.weight());
            if (v.config() != null) {
                variant.set("config", JsonValues.node(v.config()));
            }
        }
        node.put("control", spec.control());
        node.put("coverage", spec.coverage());
        if (spec.targeting() != null) {
            node.set("targeting", Targeting.toJson(spec.targeting()));
        }
        ObjectNode overrides = node.putObject("overrides");
        spec.overrides().forEach(overrides::put);
        if (spec.namespace() != null) {
            ObjectNode ns = node.putObject("namespace");
            ns.put("name", spec.namespace().name());
            ns.put("start", spec.namespace().start());
            ns.put("end", spec.namespace().end());
        }
        ArrayNode metrics = node.putArray("metrics");
        for (Metric m : spec.metrics()) {
            ObjectNode metric = metrics.addObject();
            metric.put("key", m.key());
            metric.put("type", m.type().json());
            metric.put("direction", m.direction().json());
            metric.put("role", m.role().json());
            if (m.minimumDetectableEffect() != null) {
                metric.put("minimumDetectableEffect", m.minimumDetectableEffect());
            }
            if (m.type() == MetricType.RATIO) {
                metric.put("numerator", m.numerator());
                metric.put("denominator", m.denominator());
            }
            if (m.cap() != null) {
                MetricCapJson.write(m.cap(), metric);
            }
        }
        node.put("confidenceLevel", spec.confidenceLevel());
        node.put("minimumSampleSize", spec.minimumSampleSize());
        if (spec.startAt() != null) {
            node.put("startAt", spec.startAt().toString());
        }
        if (spec.endAt() != null) {
            node.put("endAt", spec.endAt().toString());
        }
        node.put("multipleTesting", spec.multipleTesting().json());
        node.put("expectedUnitsPerVariant", spec.expectedUnitsPerVariant());
        if (spec.holdout() != null) {
            node.put("holdout", spec.holdout());
        }
        DimensionsJson.write(spec.dimensions(), node);
        if (spec.lookbackDays() != ExperimentLimits.DEFAULT_LOOKBACK_DAYS) { // absent is the default: stored forms stay as they were
            node.put("lookbackDays", spec.lookbackDays());
        }
        node.put("aggregateShards", spec.aggregateShards()); // always: absent means 16 in a stored form of schema version 1
        return node;
    }

    /** The stored form returned by every experiment route. */
    public static ObjectNode toJson(Experiment e) {
        return new LifecycleJson(e.status(), e.version(), e.createdAt(), e.updatedAt(), e.startedAt(), e.completedAt())
                .writeTo(specToJson(e.spec()));
    }

    /** Reads what {@link #toJson(Experiment)} wrote. */
    public static Experiment fromJson(JsonNode stored) {
        LifecycleJson l = LifecycleJson.read(stored);
        return new Experiment(parseSpec(LifecycleJson.definition(stored)), l.status(), l.version(), l.createdAt(),
                l.updatedAt(), l.startedAt(), l.completedAt());
    }
}
