package io.splitline.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /events} on design B ({@code docs/ingest-v2.md}): every event that can count is stored once as
 * its raw item; the {@link StreamAggregator} counts it from the table's stream within seconds. What is still
 * decided here, from the cached definitions alone: an unknown key is rejected, an inactive target's event and
 * an exposure of a unit outside every arm are {@code ignored} (not stored), a keyless event is
 * {@code ignored} when no experiment or rollout is active. Whether a metric event's unit is exposed is
 * decided by the fold, not here: such an event is {@code accepted} (stored) and counts only if its unit is
 * exposed when the fold reaches it.
 *
 * <p>A put refused by throttling loses nothing: the batch is answered 503 with {@code Retry-After}
 * ({@link IngestContentionException}), and the re-sent batch's stored events come back as duplicates.
 */
public final class RawEventIngest {
    private final RawEventStore store;
    private final IngestTargets targets;

    public RawEventIngest(RawEventStore store, IngestTargets targets) {
        this.store = store;
        this.targets = targets;
    }

    public IngestResult ingest(EventBatch batch) {
        List<Rejection> rejected = new ArrayList<>(batch.rejections());
        Map<String, Optional<IngestTarget>> resolved = new HashMap<>();
        Set<String> seenInBatch = new HashSet<>();
        List<RawEvent> puts = new ArrayList<>();
        Boolean anyActive = null;
        int duplicates = 0;
        int ignored = 0;
        for (IngestEvent e : batch.events()) {
            RawEvent raw = new RawEvent(e, e.attributes());
            if (e.keyless()) {
                anyActive = anyActive == null ? !targets.active().isEmpty() : anyActive;
                if (!seenInBatch.add(e.unitId() + "\u0000" + raw.sortKey())) {
                    duplicates++;
                } else if (!anyActive) {
                    ignored++;
                } else {
                    puts.add(raw);
                }
                continue;
            }
            Optional<IngestTarget> target = resolved.computeIfAbsent(e.key(), targets::find);
            if (target.isEmpty()) {
                rejected.add(new Rejection(e.index(), RejectionCodes.NOT_FOUND,
                        "no experiment or rollout '" + e.key() + "'", "events[" + e.index() + "].key"));
            } else if (!seenInBatch.add(e.unitId() + "\u0000" + raw.sortKey())) {
                duplicates++;
            } else if (!target.get().active()
                    || e.type() == EventType.EXPOSURE && target.get().armOf().apply(e.unitId()).isEmpty()) {
                ignored++;
            } else {
                puts.add(raw);
            }
        }
        int accepted = 0;
        int unprocessed = 0;
        for (RawEventStore.Outcome outcome : puts.isEmpty() ? List.<RawEventStore.Outcome>of() : store.putNew(puts)) {
            switch (outcome) {
                case STORED -> accepted++;
                case DUPLICATE -> duplicates++;
                case UNPROCESSED -> unprocessed++;
            }
        }
        if (unprocessed > 0) {
            throw new IngestContentionException(accepted, null);
        }
        return new IngestResult(accepted, duplicates, ignored, rejected);
    }
}
