package io.splitline.results;

import io.splitline.aggregate.VariantAggregates;
import java.util.List;

/**
 * The aggregates of the units of one segment: those whose value of a declared dimension (an attribute
 * recorded at first exposure) is {@code value}. Same shape as the whole experiment's, so the same
 * statistics apply.
 *
 * @param dimension the dimension (attribute name)
 * @param value     the segment's value of it
 * @param variants  one entry per variant (missing variants count as empty)
 */
public record SegmentAggregates(String dimension, String value, List<VariantAggregates> variants) {
    public SegmentAggregates {
        if (dimension == null || value == null) {
            throw new IllegalArgumentException("segment aggregates need a dimension and a value");
        }
        variants = List.copyOf(variants);
    }
}
