package io.splitline.results;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import io.splitline.stats.QuantileDifference.ArmQuantile;
import io.splitline.stats.QuantileDifference.Difference;
import io.splitline.stats.SketchBin;
import java.util.List;

/**
 * The API form of the quantile metrics ({@code quantileMetrics}) and of the percentile caps applied
 * ({@code percentileCaps}) in {@code GET /experiments/{key}/results}; each written only when the experiment has one.
 */
final class QuantileResultsJson {
    private QuantileResultsJson() {
    }

    static void write(ObjectNode node, List<QuantileMetricResult> quantileMetrics, List<PercentileCaps.Applied> caps) {
        if (!quantileMetrics.isEmpty()) {
            ArrayNode metrics = node.putArray("quantileMetrics");
            quantileMetrics.forEach(q -> metrics.add(metric(q)));
        }
        if (!caps.isEmpty()) {
            ArrayNode applied = node.putArray("percentileCaps");
            for (PercentileCaps.Applied c : caps) {
                ObjectNode cap = applied.addObject();
                cap.put("metric", c.metric());
                cap.put("percentile", c.percentile());
                cap.put("value", c.value());
                cap.put("relativeAccuracy", SketchBin.RELATIVE_ACCURACY);
                cap.put("note", c.note());
            }
        }
    }

    private static ObjectNode metric(QuantileMetricResult q) {
        ObjectNode node = Json.object();
        node.put("metric", q.metric());
        node.put("relativeAccuracy", SketchBin.RELATIVE_ACCURACY);
        ArrayNode variants = node.putArray("variants");
        for (QuantileMetricResult.Arm arm : q.variants()) {
            ObjectNode v = variants.addObject();
            v.put("variant", arm.variant());
            v.put("events", arm.events());
            ArrayNode quantiles = v.putArray("quantiles");
            for (ArmQuantile a : arm.quantiles()) {
                ObjectNode entry = quantiles.addObject();
                entry.put("quantile", a.quantile());
                entry.put("value", a.value());
                entry.set("ci", ResultsJson.interval(a.ci()));
            }
        }
        ArrayNode comparisons = node.putArray("comparisons");
        for (QuantileMetricResult.Comparison c : q.comparisons()) {
            ObjectNode comparison = comparisons.addObject();
            comparison.put("variant", c.variant());
            ArrayNode differences = comparison.putArray("differences");
            for (Difference d : c.differences()) {
                ObjectNode entry = differences.addObject();
                entry.put("quantile", d.quantile());
                entry.put("control", d.control());
                entry.put("treatment", d.treatment());
                entry.put("difference", d.difference());
                entry.set("ci", ResultsJson.interval(d.ci()));
            }
            ArrayNode notes = comparison.putArray("notes");
            c.notes().forEach(notes::add);
        }
        return node;
    }
}
