package io.splitline.bench.harness;

import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.Experiment;
import io.splitline.experiment.ExperimentStoreCodec;
import io.splitline.ingest.EventTable;
import io.splitline.results.ExperimentResults;
import io.splitline.results.ResultsCalculator;
import io.splitline.stats.MetricAggregate;
import io.splitline.store.DefinitionKind;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The naive design most A/B services start with, as the baseline of the results benchmark: keep only raw
 * events, and for every results request scan all of them, rebuild each unit's totals, sum them per variant
 * and metric, then compute the same statistics ({@link ResultsCalculator}). Its cost grows with the number
 * of events; Splitline's pre-aggregated read does not.
 */
final class ScanBaseline {
    private final DynamoDbClient dynamo;
    private final TableNames tables;
    private final Clock clock;
    private volatile Map<String, VariantAggregates> lastTotals = Map.of();

    ScanBaseline(DynamoDbClient dynamo, TableNames tables, Clock clock) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.clock = clock;
    }

    private static final class UnitTotals {
        String variant;
        boolean exposed;
        final Map<String, BigDecimal> totals = new HashMap<>();
    }

    /** Per-variant totals rebuilt from every raw event of the experiment. */
    Map<String, VariantAggregates> aggregates(String key) {
        ScanRequest request = ScanRequest.builder()
                .tableName(tables.events())
                .filterExpression("#key = :key")
                .projectionExpression("#unit, #type, #metric, #value, #variant")
                .expressionAttributeNames(Map.of("#key", EventTable.KEY, "#unit", EventTable.UNIT_ID,
                        "#type", EventTable.TYPE, "#metric", EventTable.METRIC, "#value", EventTable.VALUE,
                        "#variant", EventTable.VARIANT))
                .expressionAttributeValues(Map.of(":key", AttributeValue.fromS(key)))
                .build();
        Map<String, UnitTotals> units = new HashMap<>();
        for (Map<String, AttributeValue> item : dynamo.scanPaginator(request).items()) {
            UnitTotals unit = units.computeIfAbsent(item.get(EventTable.UNIT_ID).s(), u -> new UnitTotals());
            unit.variant = item.get(EventTable.VARIANT).s();
            if ("exposure".equals(item.get(EventTable.TYPE).s())) {
                unit.exposed = true;
            } else {
                unit.totals.merge(item.get(EventTable.METRIC).s(), new BigDecimal(item.get(EventTable.VALUE).n()), BigDecimal::add);
            }
        }
        Map<String, Long> exposed = new HashMap<>();
        Map<String, Map<String, MetricAggregate>> metrics = new HashMap<>();
        units.values().forEach(unit -> {
            if (!unit.exposed) {
                return;
            }
            exposed.merge(unit.variant, 1L, Long::sum);
            unit.totals.forEach((metric, total) -> metrics.computeIfAbsent(unit.variant, v -> new HashMap<>())
                    .merge(metric, new MetricAggregate(total.signum() > 0 ? 1 : 0, total, total.multiply(total)), MetricAggregate::plus));
        });
        Map<String, VariantAggregates> out = new HashMap<>();
        exposed.forEach((variant, n) -> out.put(variant, new VariantAggregates(variant, n, metrics.getOrDefault(variant, Map.of()))));
        return out;
    }

    /** The per-variant totals of the last {@link #results} call (to check them without another scan). */
    Map<String, VariantAggregates> lastTotals() {
        return lastTotals;
    }

    /** The experiment's results, the naive way: definition, full scan, then the same statistics. */
    ExperimentResults results(String key) {
        Experiment experiment = new DynamoDbDefinitionStore(dynamo, tables.definitions()).get(DefinitionKind.EXPERIMENT, key)
                .map(ExperimentStoreCodec::decode)
                .orElseThrow();
        Map<String, VariantAggregates> stored = aggregates(key);
        lastTotals = stored;
        List<VariantAggregates> data = new ArrayList<>();
        experiment.spec().variants().forEach(v -> data.add(stored.getOrDefault(v.key(), VariantAggregates.empty(v.key()))));
        return ResultsCalculator.compute(experiment.spec(), experiment.status(), data, clock.instant());
    }
}
