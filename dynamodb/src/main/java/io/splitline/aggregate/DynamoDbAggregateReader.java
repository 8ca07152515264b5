package io.splitline.aggregate;

import io.splitline.stats.CovariateSums;
import io.splitline.stats.MetricAggregate;
import io.splitline.stats.QuantileSketch;
import io.splitline.stats.SketchBin;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The {@link AggregateReader} on DynamoDB: one Query per shard, summed. The cost is one request per shard read
 * (the experiment's {@code aggregateShards}, or {@link Shards#COUNT}) returning variants × (metrics + 1) items each,
 * whatever the number of events ingested.
 *
 * <p>The shards are queried up to {@link #PARALLELISM} at a time (BENCHMARKS.md, "Results": the latency of a read is
 * that of ~{@code shards / PARALLELISM} round trips, one for the default 4, instead of {@code shards}). The calling thread takes one
 * group of shards and {@link ShardQueryPool} the others. Items are merged in shard order after all queries
 * have returned, so the totals do not depend on which query finished first (they are exact decimal sums in
 * any case).
 */
public final class DynamoDbAggregateReader implements AggregateReader {
    /**
     * Shard queries in flight at once per read: 8, so a read waits for two round trips. Not 16: on DynamoDB
     * Local more than ~7 in flight buy nothing (BENCHMARKS.md, "Pool or async client"), and each query in
     * flight holds a connection; {@code AwsClients} keeps up to 32 idle per host (the JDK's default, 5, would
     * reopen, and on AWS handshake, the others on every read), enough for this and the definition's read.
     */
    public static final int PARALLELISM = 8;

    private final DynamoDbClient dynamo;
    private final String table;
    private final int parallelism;

    public DynamoDbAggregateReader(DynamoDbClient dynamo, String table) {
        this(dynamo, table, PARALLELISM);
    }

    /**
     * A reader that keeps {@code parallelism} queries in flight (1: one after another, in the calling
     * thread). For the benchmark that compares them; everything else uses {@link #PARALLELISM}.
     */
    public DynamoDbAggregateReader(DynamoDbClient dynamo, String table, int parallelism) {
        if (parallelism < 1 || parallelism > ShardQueryPool.THREADS + 1) {
            throw new IllegalArgumentException("parallelism must be 1.." + (ShardQueryPool.THREADS + 1) + ", got " + parallelism);
        }
        this.dynamo = dynamo;
        this.table = table;
        this.parallelism = parallelism;
    }

    @Override
    public Map<String, VariantAggregates> read(String key, String scope, int shards) {
        return sum(queryShards(shard -> AggregateTable.pk(key, scope, shard), shards));
    }

    /**
     * Every segment's totals: one Query per shard of the segment partition, its items grouped by segment and
     * summed ({@link #segmentsOf}).
     */
    @Override
    public List<SegmentVariants> segments(String key, String scope, int shards) {
        return segmentsOf(segmentItems(key, scope, shards));
    }

    /** The items of every shard of the segment partition, in shard order (what {@link SegmentRollupCodec} rolls up). */
    public List<Map<String, AttributeValue>> segmentItems(String key, String scope, int shards) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        queryShards(shard -> SegmentTable.pk(key, scope, shard), shards).forEach(items::addAll);
        return items;
    }

    /**
     * Segment items grouped by segment, ordered by dimension then value, each group summed as {@link #sum} sums
     * variant items (a segment item mirrors a variant item under its own sort key).
     */
    public static List<SegmentVariants> segmentsOf(List<Map<String, AttributeValue>> items) {
        Map<List<String>, List<Map<String, AttributeValue>>> bySegment = new TreeMap<>(
                Comparator.comparing((List<String> s) -> s.get(0)).thenComparing(s -> s.get(1)));
        for (Map<String, AttributeValue> item : items) {
            SegmentTable.Parsed sk = SegmentTable.parse(item.get(AggregateTable.SK).s());
            Map<String, AttributeValue> mirrored = new HashMap<>(item);
            mirrored.put(AggregateTable.SK, AttributeValue.fromS(sk.variantSk()));
            bySegment.computeIfAbsent(List.of(sk.dimension(), sk.value()), s -> new ArrayList<>()).add(mirrored);
        }
        List<SegmentVariants> segments = new ArrayList<>();
        bySegment.forEach((segment, grouped) -> segments.add(new SegmentVariants(segment.get(0), segment.get(1), sum(List.of(grouped)))));
        return segments;
    }

    /**
     * Totals by variant key of every shard's items (indexed by shard), summed in shard order. Public for the
     * benchmark that reads the same shards another way (the SDK's async client) and must sum them alike.
     */
    public static Map<String, VariantAggregates> sum(List<List<Map<String, AttributeValue>>> shards) {
        Map<String, Long> units = new TreeMap<>();
        Map<String, Map<String, MetricAggregate>> metrics = new TreeMap<>();
        Map<String, Map<String, CovariateSums>> covariates = new TreeMap<>();
        Map<String, Map<String, CappedSums>> capped = new TreeMap<>();
        Map<String, Map<String, BigDecimal>> ratioProducts = new TreeMap<>();
        Map<String, Map<String, Map<SketchBin, Long>>> valueBins = new TreeMap<>();
        Map<String, Map<String, Map<SketchBin, Long>>> totalBins = new TreeMap<>();
        for (List<Map<String, AttributeValue>> items : shards) {
            for (Map<String, AttributeValue> item : items) {
                String sk = item.get(AggregateTable.SK).s();
                int hash = sk.indexOf('#');
                if (hash < 0) {
                    units.merge(sk, number(item, AggregateTable.UNITS).longValueExact(), Long::sum);
                } else {
                    String variant = sk.substring(0, hash);
                    MetricAggregate totals = new MetricAggregate(number(item, AggregateTable.POSITIVE).longValueExact(),
                            number(item, AggregateTable.SUM), number(item, AggregateTable.SUM_SQUARES));
                    metrics.computeIfAbsent(variant, v -> new HashMap<>()).merge(sk.substring(hash + 1), totals, MetricAggregate::plus);
                    if (item.containsKey(AggregateTable.COVARIATE_SUM) || item.containsKey(AggregateTable.CROSS_PRODUCTS)) {
                        // Only items that units with a covariate touched hold CUPED's sums (a unit without one has x = 0).
                        CovariateSums sums = new CovariateSums(number(item, AggregateTable.COVARIATE_SUM),
                                number(item, AggregateTable.COVARIATE_SUM_SQUARES), number(item, AggregateTable.CROSS_PRODUCTS));
                        covariates.computeIfAbsent(variant, v -> new HashMap<>()).merge(sk.substring(hash + 1), sums, CovariateSums::plus);
                    }
                    if (item.containsKey(AggregateTable.CAPPED_SUM)) {
                        CappedSums sums = new CappedSums(number(item, AggregateTable.CAPPED_SUM),
                                number(item, AggregateTable.CAPPED_SUM_SQUARES), number(item, AggregateTable.CAPPED_UNITS).longValueExact());
                        capped.computeIfAbsent(variant, v -> new HashMap<>()).merge(sk.substring(hash + 1), sums, CappedSums::plus);
                    }
                    item.forEach((name, value) -> {
                        // a ratio's Σab is split over its numerator's and denominator's items
                        if (name.startsWith(AggregateTable.RATIO_PRODUCTS_PREFIX)) {
                            ratioProducts.computeIfAbsent(variant, v -> new HashMap<>()).merge(
                                    name.substring(AggregateTable.RATIO_PRODUCTS_PREFIX.length()), new BigDecimal(value.n()), BigDecimal::add);
                        }
                    });
                    addBins(item, AggregateTable.VALUE_BINS, valueBins.computeIfAbsent(variant, v -> new HashMap<>())
                            .computeIfAbsent(sk.substring(hash + 1), m -> new HashMap<>()));
                    addBins(item, AggregateTable.TOTAL_BINS, totalBins.computeIfAbsent(variant, v -> new HashMap<>())
                            .computeIfAbsent(sk.substring(hash + 1), m -> new HashMap<>()));
                }
            }
        }
        Map<String, VariantAggregates> result = new LinkedHashMap<>();
        for (String variant : union(units, metrics)) {
            result.put(variant, new VariantAggregates(variant, units.getOrDefault(variant, 0L),
                    metrics.getOrDefault(variant, Map.of()), covariates.getOrDefault(variant, Map.of()),
                    ratioProducts.getOrDefault(variant, Map.of()), capped.getOrDefault(variant, Map.of()),
                    sketches(valueBins.getOrDefault(variant, Map.of())), nonEmpty(totalBins.getOrDefault(variant, Map.of()))));
        }
        return result;
    }

    /** Adds the item's sketch bin counters named {@code prefix}… to {@code bins} (the shards' sum). */
    private static void addBins(Map<String, AttributeValue> item, String prefix, Map<SketchBin, Long> bins) {
        item.forEach((name, value) -> {
            if (name.startsWith(prefix)) {
                bins.merge(SketchBin.parse(name.substring(prefix.length())), Long.parseLong(value.n()), Long::sum);
            }
        });
    }

    private static Map<String, QuantileSketch> sketches(Map<String, Map<SketchBin, Long>> bins) {
        Map<String, QuantileSketch> sketches = new HashMap<>();
        nonEmpty(bins).forEach((metric, counts) -> sketches.put(metric, new QuantileSketch(counts)));
        return sketches;
    }

    /**
     * The metrics that have bins, without the bins counting 0: a percentile cap's counter reads 0 once every unit
     * has left its bin (the {@code ADD} of −1 leaves the attribute), and a bin that holds nothing is not read.
     */
    private static Map<String, Map<SketchBin, Long>> nonEmpty(Map<String, Map<SketchBin, Long>> bins) {
        Map<String, Map<SketchBin, Long>> present = new HashMap<>();
        bins.forEach((metric, counts) -> {
            Map<SketchBin, Long> held = new HashMap<>(counts);
            held.values().removeIf(n -> n == 0);
            if (!held.isEmpty()) {
                present.put(metric, held);
            }
        });
        return present;
    }

    /**
     * The items of shards {@code 0 … count − 1}, indexed by shard: group g holds the shards s with s % groups == g,
     * groups being the lesser of {@link #parallelism} and {@code count}.
     */
    private List<List<Map<String, AttributeValue>>> queryShards(IntFunction<String> pkOfShard, int count) {
        if (count < 1 || count > Shards.COUNT) {
            throw new IllegalArgumentException("shards to read must be 1.." + Shards.COUNT + ", got " + count);
        }
        List<List<Map<String, AttributeValue>>> shards = new ArrayList<>(Collections.nCopies(count, null));
        int groups = Math.min(parallelism, count);
        List<CompletableFuture<Void>> others = new ArrayList<>(groups - 1);
        for (int group = 1; group < groups; group++) {
            int first = group;
            others.add(CompletableFuture.runAsync(() -> queryGroup(pkOfShard, first, groups, shards), ShardQueryPool.executor()));
        }
        queryGroup(pkOfShard, 0, groups, shards);
        try {
            CompletableFuture.allOf(others.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            // The query's own exception (throttling, a missing table …), as the sequential read threw it.
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
        return shards;
    }

    private void queryGroup(IntFunction<String> pkOfShard, int first, int groups, List<List<Map<String, AttributeValue>>> shards) {
        for (int shard = first; shard < shards.size(); shard += groups) {
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            dynamo.queryPaginator(partitionQuery(table, pkOfShard.apply(shard))).items().forEach(items::add);
            shards.set(shard, items);
        }
    }

    /** The strongly consistent Query of one shard's items (public for the benchmark, as {@link #sum}). */
    public static QueryRequest shardQuery(String table, String key, String scope, int shard) {
        return partitionQuery(table, AggregateTable.pk(key, scope, shard));
    }

    private static QueryRequest partitionQuery(String table, String pk) {
        return QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", AggregateTable.PK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                .consistentRead(true)
                .build();
    }

    private static Iterable<String> union(Map<String, Long> units, Map<String, Map<String, MetricAggregate>> metrics) {
        TreeMap<String, Boolean> keys = new TreeMap<>();
        units.keySet().forEach(k -> keys.put(k, true));
        metrics.keySet().forEach(k -> keys.put(k, true));
        return keys.keySet();
    }

    private static BigDecimal number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? BigDecimal.ZERO : new BigDecimal(value.n());
    }
}
