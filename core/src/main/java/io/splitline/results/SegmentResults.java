package io.splitline.results;

import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.Variant;
import io.splitline.results.ExperimentResults.Comparison;
import io.splitline.results.ExperimentResults.SegmentResult;
import io.splitline.results.ExperimentResults.Sequential;
import io.splitline.results.ExperimentResults.VariantResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exploratory results per segment (one value of one declared dimension): for each, the same per-variant
 * table, comparisons (with CUPED when the segment's aggregates carry covariates) and SRM check as for the
 * whole experiment. Looking at many segments finds differences by chance, so the p-values of all
 * comparisons of all segments are adjusted as one family by the experiment's correction (Holm or
 * Benjamini–Hochberg), and the recommendation never reads them. Each segment's SRM check flags a segment
 * whose split does not match the weights (for example a dimension value recorded differently per variant).
 */
final class SegmentResults {
    private SegmentResults() {
    }

    static List<SegmentResult> compute(ExperimentSpec spec, List<SegmentAggregates> segments, Sequential sequential) {
        double alpha = 1 - spec.confidenceLevel();
        Set<String> seen = new HashSet<>();
        List<ResultsCalculator.Unadjusted> family = new ArrayList<>();
        List<Map<String, VariantAggregates>> indexed = new ArrayList<>();
        for (SegmentAggregates segment : segments) {
            if (!seen.add(segment.dimension() + "\u0000" + segment.value())) {
                throw new IllegalArgumentException("segment " + segment.dimension() + "=" + segment.value() + " given twice");
            }
            Map<String, VariantAggregates> byVariant = ResultsCalculator.index(spec, segment.variants());
            indexed.add(byVariant);
            family.addAll(ResultsCalculator.unadjusted(spec, byVariant, sequential));
        }
        List<Comparison> adjusted = ResultsCalculator.adjust(spec, family, alpha);
        int perSegment = segments.isEmpty() ? 0 : adjusted.size() / segments.size();
        List<SegmentResult> results = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            Map<String, VariantAggregates> byVariant = indexed.get(i);
            List<VariantResult> variants = new ArrayList<>();
            for (Variant v : spec.variants()) {
                variants.add(ResultsCalculator.variantResult(spec, byVariant.get(v.key())));
            }
            results.add(new SegmentResult(segments.get(i).dimension(), segments.get(i).value(),
                    ResultsCalculator.srm(spec, byVariant), variants,
                    adjusted.subList(i * perSegment, (i + 1) * perSegment)));
        }
        return results;
    }
}
