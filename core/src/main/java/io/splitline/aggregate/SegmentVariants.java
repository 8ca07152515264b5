package io.splitline.aggregate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The summed aggregates of one segment — the units whose value of {@code dimension}, fixed at first exposure,
 * is {@code value} — by variant key, in the variant aggregates' shape.
 */
public record SegmentVariants(String dimension, String value, Map<String, VariantAggregates> variants) {
    public SegmentVariants {
        variants = Collections.unmodifiableMap(new LinkedHashMap<>(variants));
    }
}
