package io.splitline.ingest;

import io.splitline.store.TableNames;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;

/**
 * A unit's item in {@code UnitsTable} (layout in {@link UnitTable}): its exposure, totals, covariates and version,
 * read in batches and put on condition of the version it was computed from. The stream fold's own attributes
 * ({@link StreamTable}) are added to it by {@code DynamoDbStreamFoldStore}.
 */
final class UnitItems {
    private UnitItems() {
    }

    /** The stored items of these units (consistent reads); units without an item are absent. */
    static Map<UnitRef, Map<String, AttributeValue>> read(DynamoDbClient dynamo, TableNames tables, Collection<UnitRef> refs) {
        Map<String, UnitRef> byKey = new HashMap<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (UnitRef ref : refs) {
            if (byKey.put(ref.pk() + "\u0000" + ref.scope(), ref) == null) {
                keys.add(Map.of(UnitTable.PK, AttributeValue.fromS(ref.pk()), UnitTable.SK, AttributeValue.fromS(ref.scope())));
            }
        }
        Map<UnitRef, Map<String, AttributeValue>> items = new HashMap<>();
        for (Map<String, AttributeValue> item : BatchReads.consistent(dynamo, tables.units(), keys, null)) {
            items.put(byKey.get(item.get(UnitTable.PK).s() + "\u0000" + item.get(UnitTable.SK).s()), item);
        }
        return items;
    }

    /** The put of the unit's item, on condition that its stored version is {@code expectedVersion} (0: no item yet). */
    static Put put(TableNames tables, UnitRef ref, UnitState s, long expectedVersion) {
        Map<String, AttributeValue> totals = new HashMap<>();
        s.totals().forEach((metric, total) -> totals.put(metric, AttributeValue.fromN(total.toPlainString())));
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(UnitTable.PK, AttributeValue.fromS(ref.pk()));
        item.put(UnitTable.SK, AttributeValue.fromS(ref.scope()));
        item.put(UnitTable.VARIANT, AttributeValue.fromS(s.variant()));
        item.put(UnitTable.EXPOSED_AT, AttributeValue.fromS(s.exposedAt()));
        item.put(UnitTable.TOTALS, AttributeValue.fromM(totals));
        if (!s.covariates().isEmpty()) {
            Map<String, AttributeValue> covariates = new HashMap<>();
            s.covariates().forEach((metric, x) -> covariates.put(metric, AttributeValue.fromN(x.toPlainString())));
            item.put(UnitTable.COVARIATES, AttributeValue.fromM(covariates));
        }
        item.put(UnitTable.VERSION, AttributeValue.fromN(Long.toString(s.version())));
        Put.Builder put = Put.builder().tableName(tables.units()).item(item);
        if (expectedVersion == 0) {
            put.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", UnitTable.PK));
        } else {
            put.conditionExpression("#ver = :expected")
                    .expressionAttributeNames(Map.of("#ver", UnitTable.VERSION))
                    .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN(Long.toString(expectedVersion))));
        }
        return put.build();
    }

    /** The unit's state as its item holds it. */
    static UnitState state(Map<String, AttributeValue> item) {
        Map<String, BigDecimal> totals = new HashMap<>();
        AttributeValue stored = item.get(UnitTable.TOTALS);
        if (stored != null && stored.hasM()) {
            stored.m().forEach((metric, total) -> totals.put(metric, new BigDecimal(total.n())));
        }
        Map<String, BigDecimal> covariates = new HashMap<>();
        AttributeValue storedCovariates = item.get(UnitTable.COVARIATES);
        if (storedCovariates != null && storedCovariates.hasM()) {
            storedCovariates.m().forEach((metric, x) -> covariates.put(metric, new BigDecimal(x.n())));
        }
        return new UnitState(item.get(UnitTable.VARIANT).s(), item.get(UnitTable.EXPOSED_AT).s(),
                Long.parseLong(item.get(UnitTable.VERSION).n()), totals, covariates);
    }
}
