package io.splitline.ingest;

import io.splitline.aggregate.SegmentTable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * How a unit gets its segment values, at its first exposure, and how its events then move the segment
 * aggregates. Per declared dimension the value is the exposure's attribute of that name, cut to
 * {@link #MAX_LENGTH} characters; {@link #NONE} when the exposure has none (or a blank one). First come, first
 * slotted: the first {@link #SLOTS} distinct values of a dimension (per experiment and scope) claim a slot; any
 * later value is {@link #OTHER}. A slot, once claimed, is never given up, and the unit keeps its values for good
 * (stored on its unit item), so a unit's events always move the same segment items — incrementally, and exactly
 * once wherever the unit's own increments are. (A top-N rule would have to move past sums between segments as
 * counts shift.)
 *
 * <p>A planning pass holds the slot sets as read ({@link #SegmentValues(Map)}) plus the values it claims; the
 * caller writes the claims (each conditional on the set still having room) before any unit that relies on them.
 */
final class SegmentValues {
    /** Values per dimension that get their own segment. */
    static final int SLOTS = 20;
    /** Longest value kept: longer ones are cut, so an attribute cannot grow keys and items. */
    static final int MAX_LENGTH = 64;
    /** The segment of units whose exposure did not carry the dimension. */
    static final String NONE = "(none)";
    /** The segment of units whose value came after every slot was taken. */
    static final String OTHER = "(other)";

    private final Map<SlotSet, Set<String>> slotted;
    private final Map<SlotSet, Set<String>> claims = new LinkedHashMap<>();

    SegmentValues(Map<SlotSet, Set<String>> stored) {
        this.slotted = new HashMap<>();
        stored.forEach((set, values) -> slotted.put(set, new HashSet<>(values)));
    }

    /** The slot sets a batch's exposures to these targets may need (one per declared dimension). */
    static Set<SlotSet> slotSets(Iterable<IngestTarget> targets) {
        Set<SlotSet> sets = new HashSet<>();
        for (IngestTarget t : targets) {
            t.dimensions().forEach(d -> sets.add(new SlotSet(t.key(), t.scope(), d)));
        }
        return sets;
    }

    /** A first-exposed unit's segment values (dimension → value), claiming slots for new values while any are left. */
    Map<String, String> of(IngestTarget target, Map<String, String> attributes) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String dimension : target.dimensions()) {
            values.put(dimension, slot(new SlotSet(target.key(), target.scope(), dimension), raw(attributes.get(dimension))));
        }
        return values;
    }

    private String slot(SlotSet set, String value) {
        if (value.equals(NONE) || value.equals(OTHER)) {
            return value; // the labels never take a slot
        }
        Set<String> taken = slotted.computeIfAbsent(set, s -> new HashSet<>());
        if (taken.contains(value)) {
            return value;
        }
        if (taken.size() >= SLOTS) {
            return OTHER;
        }
        taken.add(value);
        claims.computeIfAbsent(set, s -> new HashSet<>()).add(value);
        return value;
    }

    private static String raw(String attribute) {
        if (attribute == null || attribute.isBlank()) {
            return NONE;
        }
        return attribute.length() <= MAX_LENGTH ? attribute : attribute.substring(0, MAX_LENGTH);
    }

    /** The values this pass claimed, by slot set: each must be written before a unit holding it. */
    Map<SlotSet, Set<String>> claims() {
        return claims;
    }

    /**
     * Where an increment to a variant aggregate item also goes for a unit with these segment values: the
     * same increment to the segment item of each value, in the segment partition {@code segmentPk}.
     */
    static BiConsumer<AggregateItem, AggregateDelta> alsoInSegments(String segmentPk, Map<String, String> segments,
                                                                           BiConsumer<AggregateItem, AggregateDelta> out) {
        if (segments.isEmpty()) {
            return out;
        }
        List<Map.Entry<String, String>> values = List.copyOf(segments.entrySet());
        return (item, delta) -> {
            out.accept(item, delta);
            for (Map.Entry<String, String> v : values) {
                out.accept(new AggregateItem(segmentPk, SegmentTable.sk(v.getKey(), v.getValue(), item.sk())), delta);
            }
        };
    }
}
