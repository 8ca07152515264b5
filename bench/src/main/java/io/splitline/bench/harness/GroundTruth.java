package io.splitline.bench.harness;

import io.splitline.aggregate.Shards;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.definitions.DefinitionCache;
import io.splitline.definitions.DefinitionTargets;
import io.splitline.ingest.IngestTarget;
import io.splitline.stats.MetricAggregate;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What the aggregates must be after a stream of events, computed in plain Java with the ingest rules: a
 * unit counts in the variant of its first exposure (derived from the hash, never from the client), and per
 * shard, variant and metric the aggregate holds the number of units whose total is above zero, Σ totals
 * and Σ totals². Used to check that ingest kept exactly-once, and by the bulk loader to write exactly
 * the aggregates ingest would have written.
 */
final class GroundTruth {
    /** Aggregate of one shard, variant and metric ({@code metric} null for the unit count). */
    record Cell(int shard, String variant, String metric) {
    }

    private final Function<String, Optional<String>> armOf;
    private final int shards;
    private final Map<String, String> variantOfUnit = new HashMap<>();
    private final Map<String, Map<String, BigDecimal>> totals = new HashMap<>();

    /** The ground truth of the target's events: its arms, and the shard count its aggregate items spread over. */
    GroundTruth(IngestTarget target) {
        this.armOf = target.armOf();
        this.shards = target.aggregateShards();
    }

    /** The ground truth of a stream for {@code key}, an experiment stored (and running) in {@code tables}. */
    static GroundTruth of(DynamoDbClient dynamo, TableNames tables, String key, Clock clock) {
        IngestTarget target = new DefinitionTargets(new DefinitionCache(new DynamoDbDefinitionStore(dynamo, tables.definitions()),
                Duration.ofSeconds(10), clock)).find(key).orElseThrow();
        return new GroundTruth(target);
    }

    /** Applies one event; returns false when ingest would not count it (no exposure yet, or not covered). */
    boolean apply(Traffic.Event e) {
        if (e.isExposure()) {
            if (!variantOfUnit.containsKey(e.unitId())) {
                Optional<String> arm = armOf.apply(e.unitId());
                if (arm.isEmpty()) {
                    return false;
                }
                variantOfUnit.put(e.unitId(), arm.get());
                totals.put(e.unitId(), new HashMap<>());
            }
            return true;
        }
        Map<String, BigDecimal> unitTotals = totals.get(e.unitId());
        if (unitTotals == null) {
            return false;
        }
        unitTotals.merge(e.metric(), e.value(), BigDecimal::add);
        return true;
    }

    /** The variant a unit was exposed to, when it was. */
    Optional<String> variantOf(String unitId) {
        return Optional.ofNullable(variantOfUnit.get(unitId));
    }

    /** Every aggregate item's content, by shard × variant × metric, as ingest's increments sum up to. */
    Map<Cell, MetricAggregate> cells() {
        Map<Cell, MetricAggregate> cells = new HashMap<>();
        variantOfUnit.forEach((unit, variant) -> {
            int shard = Shards.of(unit, shards);
            cells.merge(new Cell(shard, variant, null), new MetricAggregate(1, BigDecimal.ZERO, BigDecimal.ZERO), MetricAggregate::plus);
            totals.get(unit).forEach((metric, total) -> cells.merge(new Cell(shard, variant, metric),
                    new MetricAggregate(total.signum() > 0 ? 1 : 0, total, total.multiply(total)), MetricAggregate::plus));
        });
        return cells;
    }

    /** The aggregates summed over shards, as {@link io.splitline.aggregate.AggregateReader} returns them. */
    Map<String, VariantAggregates> byVariant() {
        Map<String, Long> units = new TreeMap<>();
        Map<String, Map<String, MetricAggregate>> metrics = new TreeMap<>();
        cells().forEach((cell, aggregate) -> {
            if (cell.metric() == null) {
                units.merge(cell.variant(), aggregate.positiveUnits(), Long::sum);
            } else {
                metrics.computeIfAbsent(cell.variant(), v -> new HashMap<>()).merge(cell.metric(), aggregate, MetricAggregate::plus);
            }
        });
        Map<String, VariantAggregates> out = new TreeMap<>();
        units.forEach((variant, n) -> out.put(variant, new VariantAggregates(variant, n, metrics.getOrDefault(variant, Map.of()))));
        return out;
    }

    /**
     * Whether two sets of per-variant aggregates hold the same numbers. DynamoDB normalises decimals
     * ({@code 29.0} comes back as {@code 29}), so sums are compared by value, not by scale.
     */
    static boolean sameNumbers(Map<String, VariantAggregates> a, Map<String, VariantAggregates> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, VariantAggregates> entry : a.entrySet()) {
            VariantAggregates x = entry.getValue();
            VariantAggregates y = b.get(entry.getKey());
            if (x.units() != y.units() || !x.metrics().keySet().equals(y.metrics().keySet())) {
                return false;
            }
            for (String metric : x.metrics().keySet()) {
                MetricAggregate p = x.metric(metric);
                MetricAggregate q = y.metric(metric);
                if (p.positiveUnits() != q.positiveUnits() || p.sum().compareTo(q.sum()) != 0
                        || p.sumSquares().compareTo(q.sumSquares()) != 0) {
                    return false;
                }
            }
        }
        return true;
    }
}
