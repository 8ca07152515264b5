package io.splitline.bench.harness;

import io.splitline.devkit.DynamoDbLocal;
import io.splitline.devkit.RequestCounter;
import io.splitline.devkit.SamTemplate;
import io.splitline.store.TableNames;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB Local instance a harness run uses (loopback only), and fresh tables from the template for
 * each measurement, so that no measurement sees another's items.
 */
final class Bench {
    private static final AtomicInteger TABLE_SETS = new AtomicInteger();

    private final URI endpoint;
    private final DynamoDbClient client;
    private final SamTemplate template = SamTemplate.load();

    Bench(URI endpoint) {
        this.endpoint = endpoint;
        this.client = DynamoDbLocal.client(endpoint);
    }

    /** An uncounted client, for setting up and checking. */
    DynamoDbClient client() {
        return client;
    }

    /** A client whose every request is counted, like the function's client would be. */
    DynamoDbClient countedClient(RequestCounter counter) {
        return DynamoDbLocal.client(endpoint, counter);
    }

    /** A client with these interceptors (to meter consumed capacity, for one). */
    DynamoDbClient client(ExecutionInterceptor... interceptors) {
        return DynamoDbLocal.client(endpoint, interceptors);
    }

    TableNames freshTables(String purpose) {
        return TableNames.fromLogicalIds(template.createTables(client, purpose + TABLE_SETS.incrementAndGet() + "_"));
    }

    /** Drops a measurement's tables once it is reported: DynamoDB Local keeps everything in this JVM's memory. */
    void drop(TableNames tables) {
        for (String name : new String[] {tables.definitions(), tables.units(), tables.aggregates(), tables.events()}) {
            client.deleteTable(b -> b.tableName(name));
        }
    }
}
