package io.splitline.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes of one atomic commit: new raw events (each conditional on not existing), new or updated
 * unit items (conditional on the version they were computed from) and merged aggregate increments.
 * Either all of it happens or none of it does, which is what makes ingest exactly-once.
 */
final class WriteSet {
    /** DynamoDB's limit on the items of one transaction. */
    static final int MAX_ITEMS = 100;

    record EventWrite(IngestEvent event, String variant, String scope) {
    }

    /** A unit item to write; {@code expectedVersion} 0 means it must not exist yet. */
    record UnitWrite(UnitRef ref, UnitState state, long expectedVersion) {
    }

    /** Identity of an event for idempotency in design A: ids are scoped by experiment/rollout key. */
    static String idempotencyKey(IngestEvent e) {
        return e.key() + "#" + e.eventId();
    }

    final List<EventWrite> events = new ArrayList<>();
    final Map<UnitRef, UnitWrite> units = new LinkedHashMap<>();
    final Map<AggregateItem, AggregateDelta> aggregates = new LinkedHashMap<>();

    int size() {
        return events.size() + units.size() + aggregates.size();
    }

    boolean isEmpty() {
        return size() == 0;
    }

    /** The sketch bin counters already planned for an aggregate item. */
    int bins(AggregateItem item) {
        AggregateDelta delta = aggregates.get(item);
        return delta == null ? 0 : delta.bins().size();
    }

    void addAggregate(AggregateItem item, AggregateDelta delta) {
        aggregates.merge(item, delta, AggregateDelta::plus);
    }
}
