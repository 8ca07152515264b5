package io.splitline.ingest;

import io.splitline.aggregate.AggregateReader;
import io.splitline.aggregate.AggregateTable;
import io.splitline.aggregate.CappedSums;
import io.splitline.aggregate.SegmentTable;
import io.splitline.aggregate.SegmentVariants;
import io.splitline.aggregate.Shards;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.stats.CovariateSums;
import io.splitline.stats.MetricAggregate;
import io.splitline.stats.QuantileSketch;
import io.splitline.stats.SketchBin;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The in-memory twin of {@code DynamoDbAggregateReader}: reads the aggregate items an {@link InMemoryStreamFoldStore}
 * holds as the DynamoDB reader reads {@code AggregatesTable}: the items of the shards read, summed; CUPED's sums of an item
 * present once they are non-zero (the DynamoDB item holds them once an update added non-zero ones). Kept equal to
 * the DynamoDB reader by {@link StreamFoldStoreContract}.
 */
final class InMemoryAggregateReader implements AggregateReader {
    private final InMemoryStreamFoldStore fold;

    InMemoryAggregateReader(InMemoryStreamFoldStore fold) {
        this.fold = fold;
    }

    @Override
    public Map<String, VariantAggregates> read(String key, String scope, int shards) {
        Map<AggregateItem, AggregateDelta> stored = fold.aggregates();
        Map<String, AggregateDelta> items = new LinkedHashMap<>();
        for (int shard = 0; shard < shards; shard++) {
            String pk = AggregateTable.pk(key, scope, shard);
            stored.forEach((item, sums) -> {
                if (item.pk().equals(pk)) {
                    items.merge(item.sk(), sums, AggregateDelta::plus);
                }
            });
        }
        return sum(items);
    }

    @Override
    public List<SegmentVariants> segments(String key, String scope, int shards) {
        Map<List<String>, Map<String, AggregateDelta>> bySegment = new TreeMap<>(
                Comparator.comparing((List<String> s) -> s.get(0)).thenComparing(s -> s.get(1)));
        Map<AggregateItem, AggregateDelta> stored = fold.aggregates();
        for (int shard = 0; shard < shards; shard++) {
            String pk = SegmentTable.pk(key, scope, shard);
            stored.forEach((item, sums) -> {
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
