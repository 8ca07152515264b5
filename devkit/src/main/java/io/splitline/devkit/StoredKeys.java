package io.splitline.devkit;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** What a table really holds, for tests that compare it with a ground truth. */
public final class StoredKeys {
    private StoredKeys() {
    }

    /** The values of a string key attribute that start with {@code prefix}, by a consistent scan. */
    public static Set<String> withPrefix(DynamoDbClient dynamo, String table, String keyAttribute, String prefix) {
        Set<String> keys = new TreeSet<>();
        dynamo.scanPaginator(b -> b.tableName(table)
                        .filterExpression("begins_with(#k, :prefix)")
                        .expressionAttributeNames(Map.of("#k", keyAttribute))
                        .expressionAttributeValues(Map.of(":prefix", AttributeValue.fromS(prefix)))
                        .consistentRead(true))
                .items().forEach(item -> keys.add(item.get(keyAttribute).s()));
        return keys;
    }
}
