package io.splitline.ingest;

import io.splitline.aggregate.AggregateReader;
import io.splitline.aggregate.AggregateTable;
import io.splitline.aggregate.CappedSums;
import io.splitline.aggregate.SegmentTable;
import io.splitline.aggregate.SegmentVariants;
import io.splitline.aggregate.Shards;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.metrics.MetricSink;
import io.splitline.stats.CovariateSums;
import io.splitline.stats.MetricAggregate;
import io.splitline.stats.QuantileSketch;
import io.splitline.stats.SketchBin;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Design B end to end on the in-memory twins, for tests whose subject is what ingested events lead to (results,
 * the rollout step, notifications) or what a refused event leaves: {@code POST /events}' {@link RawEventIngest}
 * stores each batch in an {@link InMemoryRawEventStore}, then the events it stored are folded at once, in the order
 * stored, as batches of one stream shard, by a {@link StreamAggregator} on {@link InMemoryStreamFoldStore} and
 * {@link InMemoryUnitHistoryStore} — as the local stack folds after every call. The aggregates are read as
 * {@code DynamoDbAggregateReader} reads them: every shard summed; CUPED's sums of an item present once they are
 * non-zero (the DynamoDB item holds them once an update added non-zero ones).
 */
public final class FoldedIngest implements AggregateReader {
    /** What the events table's stream mapping delivers at most per batch ({@code AggregateStreamMapping}'s BatchSize). */
    private static final int STREAM_BATCH = 1000;
    private static final String STREAM_SHARD = "shardId-00000001700000000000-f01dab1e";

    /** Every table, as a test would scan them: equal contents mean nothing was written. */
    record Contents(Map<String, RawEvent> events, Map<UnitRef, StreamUnit> units, Map<AggregateItem, AggregateDelta> aggregates,
                    Map<String, UnitHistory> histories) {
    }

    private final InMemoryRawEventStore events = new InMemoryRawEventStore();
    private final InMemoryStreamFoldStore fold;
    private final InMemoryUnitHistoryStore histories = new InMemoryUnitHistoryStore();
    private final RawEventIngest ingest;
    private final StreamAggregator aggregator;
    /** Events stored by the current call, in order: the stream's next records. */
    private final List<RawEvent> stored = new ArrayList<>();
    private BigInteger sequence = new BigInteger("49600000000000000000000000");

    /** Ingest whose fold emits no guardrail metrics, on the system clock. */
    public FoldedIngest(IngestTargets targets) {
        this(targets, datum -> { }, Clock.systemUTC());
    }

    /** Ingest whose fold sends the guardrail values it counts to {@code metrics}. */
    public FoldedIngest(IngestTargets targets, MetricSink metrics, Clock clock) {
        this.fold = new InMemoryStreamFoldStore(clock);
        this.ingest = new RawEventIngest(this::putNew, targets);
        this.aggregator = new StreamAggregator(fold, histories, targets, metrics, clock);
    }

    /** Stores the batch's events as {@code POST /events} does, then folds those it stored. */
    public synchronized IngestResult ingest(EventBatch batch) {
        try {
            return ingest.ingest(batch);
        } finally {
            for (int from = 0; from < stored.size(); from += STREAM_BATCH) {
                List<StreamRecord> records = new ArrayList<>();
                for (RawEvent e : stored.subList(from, Math.min(stored.size(), from + STREAM_BATCH))) {
                    sequence = sequence.add(BigInteger.ONE);
                    records.add(new StreamRecord(sequence, e.event()));
                }
                aggregator.apply(STREAM_SHARD, records);
            }
            stored.clear();
        }
    }

    private List<RawEventStore.Outcome> putNew(List<RawEvent> batch) {
        List<RawEventStore.Outcome> outcomes = events.putNew(batch);
        for (int i = 0; i < batch.size(); i++) {
            if (outcomes.get(i) == RawEventStore.Outcome.STORED) {
                stored.add(batch.get(i));
            }
        }
        return outcomes;
    }

    @Override
    public synchronized Map<String, VariantAggregates> read(String key, String scope) {
        Map<String, AggregateDelta> items = new LinkedHashMap<>();
        for (int shard = 0; shard < Shards.COUNT; shard++) {
            String pk = AggregateTable.pk(key, scope, shard);
            fold.aggregates.forEach((item, sums) -> {
                if (item.pk().equals(pk)) {
                    items.merge(item.sk(), sums, AggregateDelta::plus);
                }
            });
        }
        return sum(items);
    }

    @Override
    public synchronized List<SegmentVariants> segments(String key, String scope) {
        Map<List<String>, Map<String, AggregateDelta>> bySegment = new TreeMap<>(
                Comparator.comparing((List<String> s) -> s.get(0)).thenComparing(s -> s.get(1)));
        for (int shard = 0; shard < Shards.COUNT; shard++) {
            String pk = SegmentTable.pk(key, scope, shard);
            fold.aggregates.forEach((item, sums) -> {
                if (item.pk().equals(pk)) {
                    SegmentTable.Parsed sk = SegmentTable.parse(item.sk());
                    bySegment.computeIfAbsent(List.of(sk.dimension(), sk.value()), s -> new LinkedHashMap<>())
                            .merge(sk.variantSk(), sums, AggregateDelta::plus);
                }
            });
        }
        List<SegmentVariants> segments = new ArrayList<>();
        bySegment.forEach((segment, items) -> segments.add(new SegmentVariants(segment.get(0), segment.get(1), sum(items))));
        return segments;
    }

    /** A copy of every table. */
    synchronized Contents contents() {
        return new Contents(Map.copyOf(events.stored), Map.copyOf(fold.units), Map.copyOf(fold.aggregates),
                Map.copyOf(histories.histories));
    }

    /** Totals by variant key of one partition's items (variant sort key → its sums over the shards). */
    private static Map<String, VariantAggregates> sum(Map<String, AggregateDelta> items) {
        Map<String, Long> units = new TreeMap<>();
        Map<String, Map<String, MetricAggregate>> metrics = new TreeMap<>();
        Map<String, Map<String, CovariateSums>> covariates = new HashMap<>();
        Map<String, Map<String, CappedSums>> capped = new HashMap<>();
        Map<String, Map<String, BigDecimal>> ratioProducts = new HashMap<>();
        Map<String, Map<String, QuantileSketch>> valueSketches = new HashMap<>();
        Map<String, Map<String, Map<SketchBin, Long>>> totalBins = new HashMap<>();
        items.forEach((sk, sums) -> {
            int hash = sk.indexOf('#');
            if (hash < 0) {
                units.put(sk, sums.units());
                return;
            }
            String variant = sk.substring(0, hash);
            String metric = sk.substring(hash + 1);
            metrics.computeIfAbsent(variant, v -> new HashMap<>()).put(metric,
                    new MetricAggregate(sums.positive(), sums.sum(), sums.sumSquares()));
            if (sums.covariateSum().signum() != 0 || sums.covariateSquares().signum() != 0 || sums.crossProducts().signum() != 0) {
                covariates.computeIfAbsent(variant, v -> new HashMap<>()).put(metric,
                        new CovariateSums(sums.covariateSum(), sums.covariateSquares(), sums.crossProducts()));
            }
            DerivedDelta.Capped c = sums.derived().capped();
            if (c != null) {
                capped.computeIfAbsent(variant, v -> new HashMap<>()).put(metric, new CappedSums(c.sum(), c.sumSquares(), c.units()));
            }
            sums.derived().ratioProducts().forEach((ratio, ab) ->
                    ratioProducts.computeIfAbsent(variant, v -> new HashMap<>()).merge(ratio, ab, BigDecimal::add));
            Map<SketchBin, Long> values = new HashMap<>();
            Map<SketchBin, Long> totals = new HashMap<>();
            sums.bins().forEach((attribute, n) -> {
                boolean value = attribute.startsWith(AggregateTable.VALUE_BINS);
                (value ? values : totals).merge(SketchBin.parse(attribute.substring(
                        (value ? AggregateTable.VALUE_BINS : AggregateTable.TOTAL_BINS).length())), n, Long::sum);
            });
            if (!values.isEmpty()) {
                valueSketches.computeIfAbsent(variant, v -> new HashMap<>()).put(metric, new QuantileSketch(values));
            }
            if (!totals.isEmpty()) {
                totalBins.computeIfAbsent(variant, v -> new HashMap<>()).put(metric, totals);
            }
        });
        TreeSet<String> variants = new TreeSet<>(units.keySet());
        variants.addAll(metrics.keySet());
        Map<String, VariantAggregates> result = new LinkedHashMap<>();
        for (String variant : variants) {
            result.put(variant, new VariantAggregates(variant, units.getOrDefault(variant, 0L),
                    metrics.getOrDefault(variant, Map.of()), covariates.getOrDefault(variant, Map.of()),
                    ratioProducts.getOrDefault(variant, Map.of()), capped.getOrDefault(variant, Map.of()),
                    valueSketches.getOrDefault(variant, Map.of()), totalBins.getOrDefault(variant, Map.of())));
        }
        return result;
    }
}
