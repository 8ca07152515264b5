package io.splitline.ingest;

import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.store.TableNames;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The DynamoDB fold store and aggregate reader keep the contract their in-memory twins are tested against (fresh
 * tables per test).
 */
@ExtendWith(DynamoDbLocalExtension.class)
class DynamoDbStreamFoldStoreContractTest extends StreamFoldStoreContract {
    private LocalTables tables;

    @BeforeEach
    void tables(LocalTables tables) {
        this.tables = tables;
    }

    @Override
    protected Fold fold(Clock clock) {
        TableNames names = TableNames.fromLogicalIds(tables.names());
        return new Fold(new DynamoDbStreamFoldStore(tables.client(), names, clock),
                new DynamoDbAggregateReader(tables.client(), names.aggregates()));
    }
}
