package io.splitline.results;

import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.Metric;
import io.splitline.experiment.MetricType;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * Completes a variant's stored Σ numerator·denominator of the ratio metrics. Ingest writes a ratio's Σab
 * part on every change of its numerator or denominator, so it is stored as soon as both metrics have events
 * in the variant. When one of them has none, every unit's product is 0 and so is Σab, which the stored
 * aggregates cannot show (no item carries it): it is filled in here. A ratio whose two metrics have events
 * but no Σab (recorded before ingest kept it) keeps no entry, and its tests stay undefined with a note
 * ({@link RatioResults}).
 */
public final class RatioProducts {
    private RatioProducts() {
    }

    /** {@code v} with a Σab of 0 for each ratio metric of {@code spec} that has no events of one of its parts. */
    public static VariantAggregates complete(VariantAggregates v, ExperimentSpec spec) {
        Map<String, BigDecimal> products = new HashMap<>(v.ratioProducts());
        for (Metric m : spec.metrics()) {
            if (m.type() == MetricType.RATIO && !products.containsKey(m.key())
                    && (!v.metrics().containsKey(m.numerator()) || !v.metrics().containsKey(m.denominator()))) {
                products.put(m.key(), BigDecimal.ZERO);
            }
        }
        return new VariantAggregates(v.variant(), v.units(), v.metrics(), v.covariates(), products, v.capped(),
                v.valueSketches(), v.totalSketches());
    }
}
