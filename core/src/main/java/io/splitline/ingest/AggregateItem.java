package io.splitline.ingest;

/**
 * The key of one item of {@code AggregatesTable} that a counted event increments: a variant's units or
 * metric item ({@link io.splitline.aggregate.AggregateTable}) or its segment mirror
 * ({@link io.splitline.aggregate.SegmentTable}).
 */
record AggregateItem(String pk, String sk) {
}
