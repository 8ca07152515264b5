package io.splitline.ingest;

import io.splitline.targeting.AttributesJson;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records the exposures of {@code /assign} with {@code track: true} as design B does: one raw exposure
 * event per unit and experiment (or rollout stage, or holdout), put on condition that it does not exist and
 * carrying the request's targeting attributes. The {@link StreamAggregator} counts the unit's first exposure
 * from the stream, exactly once, as for an exposure sent to {@code POST /events}. The event id is
 * {@code assign:<scope>}, so a repeat call is a duplicate put that writes nothing. Recently recorded units
 * are remembered per container so that a warm repeat call makes no request at all.
 */
public final class ExposureRecorder {
    /** One exposure to record: the unit where it counts, the arm {@code /assign} answered, and the CUPED covariates it was given (metric → x). */
    public record Exposure(UnitRef unit, String variant, Map<String, BigDecimal> covariates) {
        public Exposure {
            covariates = Map.copyOf(covariates);
        }

        /** An exposure without covariates. */
        public Exposure(UnitRef unit, String variant) {
            this(unit, variant, Map.of());
        }
    }

    private static final int REMEMBERED = 100_000;

    private final RawEventStore store;
    private final Clock clock;
    private final Set<UnitRef> recorded = Collections.newSetFromMap(new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UnitRef, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    public ExposureRecorder(RawEventStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Stores these exposures with the request's attributes (String, Double or Boolean values, as
     * {@code /assign} validated them); returns how many were stored now.
     *
     * @throws IllegalStateException when DynamoDB throttled a put: {@code /assign} logs it and answers anyway
     */
    public int record(List<Exposure> exposures, Map<String, Object> attributes) {
        Map<UnitRef, Exposure> unique = new LinkedHashMap<>();
        synchronized (recorded) {
            for (Exposure e : exposures) {
                if (!recorded.contains(e.unit())) {
                    unique.putIfAbsent(e.unit(), e);
                }
            }
        }
        if (unique.isEmpty()) {
            return 0;
        }
        Map<String, String> text = AttributesJson.asText(attributes);
        Instant now = clock.instant();
        List<RawEvent> puts = new ArrayList<>();
        for (Exposure e : unique.values()) {
            UnitRef ref = e.unit();
            puts.add(new RawEvent(new IngestEvent(0, "assign:" + ref.scope(), ref.key(), ref.unitId(), EventType.EXPOSURE,
                    null, BigDecimal.ZERO, now, false, e.covariates()), text));
        }
        List<RawEventStore.Outcome> outcomes = store.putNew(puts);
        List<UnitRef> refs = new ArrayList<>(unique.keySet());
        int stored = 0;
        List<UnitRef> done = new ArrayList<>();
        for (int i = 0; i < puts.size(); i++) {
            if (outcomes.get(i) != RawEventStore.Outcome.UNPROCESSED) {
                done.add(refs.get(i));
                stored += outcomes.get(i) == RawEventStore.Outcome.STORED ? 1 : 0;
            }
        }
        synchronized (recorded) {
            recorded.addAll(done);
        }
        if (done.size() < puts.size()) {
            throw new IllegalStateException((puts.size() - done.size()) + " exposure put(s) throttled");
        }
        return stored;
    }
}
