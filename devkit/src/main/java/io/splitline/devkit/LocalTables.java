package io.splitline.devkit;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Tables created from the template for one test (or one local stack), and a client for them.
 *
 * @param client   client of the DynamoDB Local instance holding the tables
 * @param names    physical table name by the template's logical id
 * @param endpoint the instance's HTTP endpoint, for clients built elsewhere
 */
public record LocalTables(DynamoDbClient client, Map<String, String> names, java.net.URI endpoint) {
    public LocalTables {
        names = Map.copyOf(names);
    }

    /** Physical name of the table with this logical id. */
    public String name(String logicalId) {
        String name = names.get(logicalId);
        if (name == null) {
            throw new IllegalArgumentException("no table " + logicalId + " in the template: " + names.keySet());
        }
        return name;
    }
}
