package io.splitline.ingest;

import io.splitline.aggregate.AggregateTable;
import io.splitline.aggregate.SegmentTable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The {@code ADD} of an {@link AggregateDelta} to its item of {@code AggregatesTable} (layout in
 * {@link AggregateTable}): a units item's count, or a metric item's sums, CUPED sums (only when the delta has
 * some), capped and ratio sums and sketch bin counters.
 */
final class AggregateUpdates {
    private AggregateUpdates() {
    }

    static Update add(String table, AggregateItem item, AggregateDelta d) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> adds = new ArrayList<>();
        if (SegmentTable.variantSk(item.pk(), item.sk()).indexOf('#') < 0) { // a units item, or a segment's
            add(adds, names, values, "u", AggregateTable.UNITS, BigDecimal.valueOf(d.units()));
        } else {
            add(adds, names, values, "p", AggregateTable.POSITIVE, BigDecimal.valueOf(d.positive()));
            add(adds, names, values, "s", AggregateTable.SUM, d.sum());
            add(adds, names, values, "q", AggregateTable.SUM_SQUARES, d.sumSquares());
            if (d.covariateSum().signum() != 0 || d.covariateSquares().signum() != 0 || d.crossProducts().signum() != 0) {
                add(adds, names, values, "cs", AggregateTable.COVARIATE_SUM, d.covariateSum());
                add(adds, names, values, "cq", AggregateTable.COVARIATE_SUM_SQUARES, d.covariateSquares());
                add(adds, names, values, "cx", AggregateTable.CROSS_PRODUCTS, d.crossProducts());
            }
            addDerived(adds, names, values, d.derived());
            int bin = 0;
            for (Map.Entry<String, Long> counter : d.bins().entrySet()) { // at most StreamFoldStore.MAX_BINS_PER_UPDATE
                add(adds, names, values, "b" + bin++, counter.getKey(), BigDecimal.valueOf(counter.getValue()));
            }
        }
        return Update.builder().tableName(table)
                .key(Map.of(AggregateTable.PK, AttributeValue.fromS(item.pk()), AggregateTable.SK, AttributeValue.fromS(item.sk())))
                .updateExpression("ADD " + String.join(", ", adds))
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    /** A capped metric's sums, and each ratio's Σab part, even when 0: their presence says they are kept. */
    private static void addDerived(List<String> adds, Map<String, String> names, Map<String, AttributeValue> values,
                                   DerivedDelta d) {
        if (d.capped() != null) {
            add(adds, names, values, "ks", AggregateTable.CAPPED_SUM, d.capped().sum());
            add(adds, names, values, "kq", AggregateTable.CAPPED_SUM_SQUARES, d.capped().sumSquares());
            add(adds, names, values, "kn", AggregateTable.CAPPED_UNITS, BigDecimal.valueOf(d.capped().units()));
        }
        int i = 0;
        for (Map.Entry<String, BigDecimal> ratio : new TreeMap<>(d.ratioProducts()).entrySet()) {
            add(adds, names, values, "ab" + i++, AggregateTable.RATIO_PRODUCTS_PREFIX + ratio.getKey(), ratio.getValue());
        }
    }

    private static void add(List<String> adds, Map<String, String> names, Map<String, AttributeValue> values,
                            String alias, String attribute, BigDecimal delta) {
        names.put("#" + alias, attribute);
        values.put(":" + alias, AttributeValue.fromN(delta.toPlainString()));
        adds.add("#" + alias + " :" + alias);
    }
}
