package io.splitline.ingest;

/**
 * The slots of one dimension of one experiment (or rollout stage): the values that claimed one, first come,
 * first slotted ({@link SegmentValues}). Stored as one item ({@link io.splitline.aggregate.SegmentTable}).
 */
public record SlotSet(String key, String scope, String dimension) {
}
