package io.splitline.results;

import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.Metric;
import io.splitline.stats.MeanSample;
import io.splitline.stats.MetricAggregate;
import io.splitline.stats.RatioMoments;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * A ratio metric of one variant as a sample ({@link RatioMoments}): Σa and Σa² from the numerator metric's
 * aggregate, Σb and Σb² from the denominator's, Σab from {@link VariantAggregates#ratioProducts()}. Without a
 * Σab entry the variance cannot be known (the covariance is what the delta method needs), so the arm reads
 * as its ratio with no variance: its tests are undefined, with a note, rather than quietly wrong. The reader
 * of the aggregates therefore gives every ratio metric an entry (0 when nothing was added) in every variant.
 */
final class RatioResults {
    static final String NO_PRODUCTS = "the ratio's Σ numerator·denominator is not recorded: no variance, tests undefined";
    static final String NO_DENOMINATOR = "the ratio's denominator is 0 in an arm: that ratio reads as 0";

    private RatioResults() {
    }

    static MeanSample sample(Metric m, VariantAggregates a) {
        MetricAggregate numerator = a.metric(m.numerator());
        MetricAggregate denominator = a.metric(m.denominator());
        BigDecimal products = a.ratioProducts().get(m.key());
        if (products == null || denominator.sum().signum() == 0 || a.units() == 0) {
            double ratio = denominator.sum().signum() == 0 ? 0
                    : numerator.sum().divide(denominator.sum(), MathContext.DECIMAL128).doubleValue();
            return new MeanSample(a.units(), ratio, 0);
        }
        return RatioMoments.of(a.units(), numerator, denominator, products).sample();
    }

    /** Why a ratio comparison's values are missing, beyond what its tests say. */
    static List<String> notes(Metric m, VariantAggregates control, VariantAggregates treatment) {
        List<String> notes = new ArrayList<>();
        if (!control.ratioProducts().containsKey(m.key()) || !treatment.ratioProducts().containsKey(m.key())) {
            notes.add(NO_PRODUCTS);
        }
        if (control.metric(m.denominator()).sum().signum() == 0 || treatment.metric(m.denominator()).sum().signum() == 0) {
            notes.add(NO_DENOMINATOR);
        }
        return notes;
    }
}
