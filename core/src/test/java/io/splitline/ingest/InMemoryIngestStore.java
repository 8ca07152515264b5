package io.splitline.ingest;

import io.splitline.aggregate.AggregateReader;
import io.splitline.aggregate.AggregateTable;
import io.splitline.aggregate.CappedSums;
import io.splitline.aggregate.SegmentVariants;
import io.splitline.aggregate.Shards;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.stats.CovariateSums;
import io.splitline.stats.MetricAggregate;
import io.splitline.stats.QuantileSketch;
import io.splitline.stats.SketchBin;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The in-memory twin of {@code DynamoDbIngestStore} and {@code DynamoDbAggregateReader} together, as the
 * three tables they share (events, units, aggregates), for tests of service logic. It keeps the ports'
 * contracts, checked against DynamoDB Local by {@link IngestStoreContract}: a commit is all or nothing;
 * an event is written only if its idempotency key is not stored yet, a unit only at the version it was
 * computed from (0: not stored yet); a cancelled commit names the duplicate events and the stale units;
 * a commit DynamoDB would refuse outright (more than {@link WriteSet#MAX_ITEMS} items, two writes of one
 * item) is refused; aggregates are summed over the shards with DynamoDB's exact decimal arithmetic (the
 * scale of a number read back is not part of the contract: DynamoDB Local keeps {@code 12.50} as written).
 * Every method holds one lock, so a commit is atomic and reads are consistent, as the store's transactions
 * and consistent reads are. Raw events never expire here (the DynamoDB store's retention is TTL's business).
 */
public final class InMemoryIngestStore implements IngestStore, AggregateReader {
    /** A raw event as stored: the event, the arm and scope it counted for, when it was received. */
    public record StoredEvent(IngestEvent event, String variant, String scope, Instant receivedAt) {
    }

    /** Everything stored: raw events by idempotency key, units, aggregate items by key. */
    public record Contents(Map<String, StoredEvent> events, Map<UnitRef, UnitState> units,
                           Map<WriteSet.AggregateItem, StoredAggregate> aggregates) {
    }

    /** One aggregate item's attributes; {@code covariates} is false until a write added non-zero CUPED sums. */
    record StoredAggregate(AggregateDelta sums, boolean covariates) {
        StoredAggregate plus(AggregateDelta delta) {
            boolean withCovariates = covariates || delta.covariateSum().signum() != 0
                    || delta.covariateSquares().signum() != 0 || delta.crossProducts().signum() != 0;
            return new StoredAggregate(sums.plus(delta), withCovariates);
        }
    }

    private static final StoredAggregate NO_ITEM = new StoredAggregate(AggregateDelta.ZERO, false);

    private final Map<String, StoredEvent> events = new HashMap<>();
    private final Map<UnitRef, UnitState> units = new HashMap<>();
    private final Map<WriteSet.AggregateItem, StoredAggregate> aggregates = new HashMap<>();

    @Override
    public synchronized Map<UnitRef, UnitState> loadUnits(Collection<UnitRef> refs) {
        Map<UnitRef, UnitState> found = new HashMap<>();
        for (UnitRef ref : refs) {
            UnitState state = units.get(ref);
            if (state != null) {
                found.put(ref, state);
            }
        }
        return found;
    }

    @Override
    public synchronized Set<String> existingEvents(Collection<String> idempotencyKeys) {
        Set<String> existing = new HashSet<>();
        for (String key : idempotencyKeys) {
            if (events.containsKey(key)) {
                existing.add(key);
            }
        }
        return existing;
    }

    @Override
    public synchronized void commit(WriteSet set, Instant now) {
        refuseWhatDynamoDbRefuses(set);
        Set<String> duplicates = new HashSet<>();
        for (WriteSet.EventWrite e : set.events) {
            if (events.containsKey(e.event().idempotencyKey())) {
                duplicates.add(e.event().idempotencyKey());
            }
        }
        Set<UnitRef> stale = new HashSet<>();
        for (WriteSet.UnitWrite u : set.units.values()) {
            UnitState stored = units.get(u.ref());
            boolean holds = u.expectedVersion() == 0 ? stored == null
                    : stored != null && stored.version() == u.expectedVersion();
            if (!holds) {
                stale.add(u.ref());
            }
        }
        if (!duplicates.isEmpty() || !stale.isEmpty()) {
            throw new CommitConflictException(duplicates, stale, null);
        }
        for (WriteSet.EventWrite e : set.events) {
            events.put(e.event().idempotencyKey(), new StoredEvent(e.event(), e.variant(), e.scope(), now));
        }
        for (WriteSet.UnitWrite u : set.units.values()) {
            units.put(u.ref(), u.state());
        }
        set.aggregates.forEach((item, delta) -> aggregates.put(item, aggregates.getOrDefault(item, NO_ITEM).plus(delta)));
    }

    /** Totals by variant key, summed over the shards, for every variant that has at least one stored aggregate. */
    /** None: the transactional ingest this twin stands for keeps no segment aggregates (only the stream fold does). */
    @Override
    public List<SegmentVariants> segments(String key, String scope) {
        return List.of();
    }

    @Override
    public synchronized Map<String, VariantAggregates> read(String key, String scope) {
        Map<String, Long> unitCounts = new TreeMap<>();
        Map<String, Map<String, MetricAggregate>> metrics = new TreeMap<>();
        Map<String, Map<String, CovariateSums>> covariates = new TreeMap<>();
        Map<String, Map<String, CappedSums>> capped = new TreeMap<>();
        Map<String, Map<String, BigDecimal>> ratioProducts = new TreeMap<>();
        Map<String, Map<String, Map<SketchBin, Long>>> valueBins = new TreeMap<>();
        Map<String, Map<String, Map<SketchBin, Long>>> totalBins = new TreeMap<>();
        for (int shard = 0; shard < Shards.COUNT; shard++) {
            String pk = AggregateTable.pk(key, scope, shard);
            for (Map.Entry<WriteSet.AggregateItem, StoredAggregate> e : aggregates.entrySet()) {
                if (!e.getKey().pk().equals(pk)) {
                    continue;
                }
                String sk = e.getKey().sk();
                AggregateDelta sums = e.getValue().sums();
                int hash = sk.indexOf('#');
                if (hash < 0) {
                    unitCounts.merge(sk, sums.units(), Long::sum);
                    continue;
                }
                String variant = sk.substring(0, hash);
                String metric = sk.substring(hash + 1);
                metrics.computeIfAbsent(variant, v -> new HashMap<>()).merge(metric,
                        new MetricAggregate(sums.positive(), sums.sum(), sums.sumSquares()), MetricAggregate::plus);
                if (e.getValue().covariates()) {
                    covariates.computeIfAbsent(variant, v -> new HashMap<>()).merge(metric,
                            new CovariateSums(sums.covariateSum(), sums.covariateSquares(), sums.crossProducts()),
                            CovariateSums::plus);
                }
                DerivedDelta.Capped c = sums.derived().capped();
                if (c != null) {
                    capped.computeIfAbsent(variant, v -> new HashMap<>()).merge(metric,
                            new CappedSums(c.sum(), c.sumSquares(), c.units()), CappedSums::plus);
                }
                sums.derived().ratioProducts().forEach((ratio, ab) ->
                        ratioProducts.computeIfAbsent(variant, v -> new HashMap<>()).merge(ratio, ab, BigDecimal::add));
                sums.bins().forEach((attribute, n) -> {
                    boolean values = attribute.startsWith(AggregateTable.VALUE_BINS);
                    SketchBin bin = SketchBin.parse(attribute.substring((values ? AggregateTable.VALUE_BINS : AggregateTable.TOTAL_BINS).length()));
                    (values ? valueBins : totalBins).computeIfAbsent(variant, v -> new HashMap<>())
                            .computeIfAbsent(metric, m -> new HashMap<>()).merge(bin, n, Long::sum);
                });
            }
        }
        Set<String> variants = new TreeSet<>(unitCounts.keySet());
        variants.addAll(metrics.keySet());
        Map<String, VariantAggregates> result = new LinkedHashMap<>();
        for (String variant : variants) {
            result.put(variant, new VariantAggregates(variant, unitCounts.getOrDefault(variant, 0L),
                    metrics.getOrDefault(variant, Map.of()), covariates.getOrDefault(variant, Map.of()),
                    ratioProducts.getOrDefault(variant, Map.of()), capped.getOrDefault(variant, Map.of()),
                    sketches(valueBins.getOrDefault(variant, Map.of())), totalBins.getOrDefault(variant, Map.of())));
        }
        return result;
    }

    private static Map<String, QuantileSketch> sketches(Map<String, Map<SketchBin, Long>> bins) {
        Map<String, QuantileSketch> sketches = new HashMap<>();
        bins.forEach((metric, counts) -> sketches.put(metric, new QuantileSketch(counts)));
        return sketches;
    }

    /** A copy of every table, as a test would scan them: equal contents mean nothing was written. */
    public synchronized Contents contents() {
        return new Contents(Map.copyOf(events), Map.copyOf(units), Map.copyOf(aggregates));
    }

    /**
     * DynamoDB refuses such a transaction with a validation error before evaluating any condition: the
     * service must never build one, so here as there it is an error, not a conflict.
     */
    private static void refuseWhatDynamoDbRefuses(WriteSet set) {
        if (set.isEmpty()) {
            throw new IllegalArgumentException("a transaction holds at least one item");
        }
        if (set.size() > WriteSet.MAX_ITEMS) {
            throw new IllegalArgumentException("a transaction holds at most " + WriteSet.MAX_ITEMS + " items, got " + set.size());
        }
        Set<String> eventKeys = new HashSet<>();
        for (WriteSet.EventWrite e : set.events) {
            if (!eventKeys.add(e.event().idempotencyKey())) {
                throw new IllegalArgumentException("two writes of event " + e.event().idempotencyKey() + " in one transaction");
            }
        }
    }
}
