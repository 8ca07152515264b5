package io.splitline.results;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.experiment.MetricType;
import io.splitline.json.Json;
import io.splitline.results.ExperimentResults.ChiSquare;
import io.splitline.results.ExperimentResults.Comparison;
import io.splitline.results.ExperimentResults.Cuped;
import io.splitline.results.ExperimentResults.Power;
import io.splitline.results.ExperimentResults.SegmentResult;
import io.splitline.results.ExperimentResults.SrmCheck;
import io.splitline.results.ExperimentResults.VariantMetric;
import io.splitline.results.ExperimentResults.VariantResult;
import io.splitline.stats.Interval;
import java.util.List;

/**
 * Writes {@link ExperimentResults} in the API form of {@code GET /experiments/{key}/results}: exactly the
 * fields of the contract, plus additions that never rename or drop one ({@code multipleTesting},
 * {@code sequential}, {@code direction}, {@code role}, {@code outcome}, {@code test}, {@code scale},
 * {@code estimate}, {@code adjustedCi}, {@code adjustedCiLevel}, {@code sequentialCi}, {@code statistic},
 * {@code degreesOfFreedom}, {@code notes},
 * {@code chiSquare}, SRM {@code statistic}/{@code degreesOfFreedom}, power
 * {@code minimumDetectableEffect}/{@code power}/{@code reason}, and — only when the aggregates carry the data —
 * a comparison's {@code cuped} and the exploratory {@code segments}). Undefined values are JSON null; no
 * field is ever NaN or infinite. Intervals are two-element arrays {@code [lower, upper]}.
 */
public final class ResultsJson {
    private ResultsJson() {
    }

    /** The body as a tree, every member readable. */
    public static ObjectNode toJson(ExperimentResults r) {
        return toJson(r, null);
    }

    /**
     * The body to send, its {@code segments} member the text {@code written} keeps for the same segment results
     * (raw JSON: it writes exactly as the tree of {@link #toJson(ExperimentResults)} does, but cannot be read as a
     * tree). The rest is written anew: the whole experiment's figures change with every event.
     */
    public static ObjectNode toJson(ExperimentResults r, SegmentsJson written) {
        ObjectNode node = Json.object();
        node.put("key", r.key());
        node.put("status", r.status().json());
        node.put("computedAt", r.computedAt().toString());
        node.put("confidenceLevel", r.confidenceLevel());
        node.put("multipleTesting", r.multipleTesting().json());
        ObjectNode sequential = node.putObject("sequential");
        sequential.put("mixingEffectSize", r.sequential().mixingEffectSize());
        sequential.put("expectedUnitsPerVariant", r.sequential().expectedUnitsPerVariant());
        sequential.put("confidenceLevel", r.sequential().confidenceLevel());
        node.set("srm", srm(r.srm()));
        ArrayNode variants = node.putArray("variants");
        r.variants().forEach(v -> variants.add(variant(v)));
        ArrayNode comparisons = node.putArray("comparisons");
        r.comparisons().forEach(c -> comparisons.add(comparison(c)));
        ObjectNode chiSquare = node.putObject("chiSquare");
        r.chiSquare().forEach(c -> chiSquare.set(c.metric(), chiSquare(c)));
        node.set("power", power(r.power()));
        ObjectNode recommendation = node.putObject("recommendation");
        recommendation.put("decision", r.recommendation().decision().json());
        recommendation.put("variant", r.recommendation().variant());
        ArrayNode reasons = recommendation.putArray("reasons");
        r.recommendation().reasons().forEach(reasons::add);
        if (!r.segments().isEmpty()) {
            if (written == null) {
                node.set("segments", segments(r.segments()));
            } else {
                node.putRawValue("segments", written.of(r.key(), r.segments()));
            }
            node.put("segmentsComputedAt", r.segmentsComputedAt().toString());
        }
        QuantileResultsJson.write(node, r.quantileMetrics(), r.percentileCaps());
        return node;
    }

    static ArrayNode segments(List<SegmentResult> segments) {
        ArrayNode node = Json.array();
        segments.forEach(s -> node.add(segment(s)));
        return node;
    }

    private static ObjectNode segment(SegmentResult s) {
        ObjectNode node = Json.object();
        node.put("dimension", s.dimension());
        node.put("value", s.value());
        node.put("exploratory", true);
        node.set("srm", srm(s.srm()));
        ArrayNode variants = node.putArray("variants");
        s.variants().forEach(v -> variants.add(variant(v)));
        ArrayNode comparisons = node.putArray("comparisons");
        s.comparisons().forEach(c -> comparisons.add(comparison(c)));
        return node;
    }

    private static ObjectNode cuped(Cuped c) {
        ObjectNode node = Json.object();
        node.put("theta", c.theta());
        node.put("varianceReduction", c.varianceReduction());
        node.put("adjustedControlMean", c.adjustedControlMean());
        node.put("adjustedTreatmentMean", c.adjustedTreatmentMean());
        node.put("test", c.test());
        node.put("scale", c.scale());
        node.put("estimate", c.estimate());
        node.set("ci", interval(c.ci()));
        node.put("pValue", c.pValue());
        node.put("adjustedPValue", c.adjustedPValue());
        node.set("adjustedCi", interval(c.adjustedCi()));
        node.put("adjustedCiLevel", c.adjustedCiLevel());
        node.put("significant", c.significant());
        ArrayNode notes = node.putArray("notes");
        c.notes().forEach(notes::add);
        return node;
    }

    private static ObjectNode srm(SrmCheck s) {
        ObjectNode node = Json.object();
        node.put("pValue", s.pValue());
        node.put("mismatch", s.mismatch());
        ObjectNode observed = node.putObject("observed");
        s.observed().forEach(observed::put);
        ObjectNode expected = node.putObject("expected");
        s.expected().forEach(expected::put);
        node.put("statistic", s.statistic());
        node.put("degreesOfFreedom", s.degreesOfFreedom());
        node.put("note", s.note());
        return node;
    }

    private static ObjectNode variant(VariantResult v) {
        ObjectNode node = Json.object();
        node.put("key", v.key());
        node.put("units", v.units());
        ObjectNode metrics = node.putObject("metrics");
        for (VariantMetric m : v.metrics()) {
            ObjectNode metric = metrics.putObject(m.metric());
            metric.put("units", m.units());
            if (m.type() == MetricType.CONVERSION) {
                metric.put("conversions", m.conversions());
                metric.put("rate", m.rate());
            } else {
                metric.put("mean", m.mean());
                metric.put("stdDev", m.stdDev());
            }
            if (m.capping() != null) {
                metric.putObject("cap").put("value", m.capping().value()).put("cappedUnits", m.capping().cappedUnits());
            }
            metric.set("ci", interval(m.ci()));
        }
        return node;
    }

    private static ObjectNode comparison(Comparison c) {
        ObjectNode node = Json.object();
        node.put("variant", c.variant());
        node.put("metric", c.metric());
        node.put("absoluteLift", c.absoluteLift());
        node.set("absoluteLiftCi", interval(c.absoluteLiftCi()));
        node.put("relativeLift", c.relativeLift());
        node.set("relativeLiftCi", interval(c.relativeLiftCi()));
        node.put("pValue", c.pValue());
        node.put("adjustedPValue", c.adjustedPValue());
        node.put("significant", c.significant());
        node.put("effectSize", c.effectSize());
        node.put("sequentialPValue", c.sequentialPValue());
        node.set("sequentialCi", interval(c.sequentialCi()));
        node.put("probabilityToBeatControl", c.probabilityToBeatControl());
        node.put("expectedLoss", c.expectedLoss());
        node.put("type", c.type().json());
        node.put("direction", c.direction().json());
        node.put("role", c.role().json());
        node.put("outcome", c.outcome().json());
        node.put("test", c.test());
        node.put("scale", c.scale());
        node.put("estimate", c.estimate());
        node.set("adjustedCi", interval(c.adjustedCi()));
        node.put("adjustedCiLevel", c.adjustedCiLevel());
        node.put("statistic", c.statistic());
        node.put("degreesOfFreedom", c.degreesOfFreedom());
        ArrayNode notes = node.putArray("notes");
        c.notes().forEach(notes::add);
        if (c.cuped() != null) {
            node.set("cuped", cuped(c.cuped()));
        }
        return node;
    }

    private static ObjectNode chiSquare(ChiSquare c) {
        ObjectNode node = Json.object();
        node.put("statistic", c.statistic());
        node.put("degreesOfFreedom", c.degreesOfFreedom());
        node.put("pValue", c.pValue());
        node.put("note", c.note());
        return node;
    }

    private static ObjectNode power(Power p) {
        ObjectNode node = Json.object();
        node.put("metric", p.metric());
        node.put("requiredUnitsPerVariant", p.requiredUnitsPerVariant());
        node.put("progress", p.progress());
        node.put("minimumDetectableEffect", p.minimumDetectableEffect());
        node.put("power", p.power());
        node.put("reason", p.reason());
        return node;
    }

    static ArrayNode interval(Interval i) {
        if (i == null) {
            return null;
        }
        ArrayNode node = Json.array();
        node.add(i.lower());
        node.add(i.upper());
        return node;
    }
}
