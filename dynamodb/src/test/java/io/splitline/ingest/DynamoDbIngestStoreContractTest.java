package io.splitline.ingest;

import io.splitline.aggregate.AggregateReader;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.store.TableNames;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The DynamoDB store and aggregate reader keep the contract their in-memory twin is tested against (fresh
 * tables per test).
 */
@ExtendWith(DynamoDbLocalExtension.class)
class DynamoDbIngestStoreContractTest extends IngestStoreContract {
    /** DynamoDB Local's TTL sweeper really deletes expired events: keep them for a century. */
    private static final Duration RETENTION = Duration.ofDays(365L * 100);

    private LocalTables tables;

    @BeforeEach
    void tables(LocalTables tables) {
        this.tables = tables;
    }

    @Override
    protected IngestStore store() {
        return new DynamoDbIngestStore(tables.client(), TableNames.fromLogicalIds(tables.names()), RETENTION);
    }

    @Override
    protected AggregateReader reader() {
        return new DynamoDbAggregateReader(tables.client(), TableNames.fromLogicalIds(tables.names()).aggregates());
    }
}
