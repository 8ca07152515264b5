package io.splitline.ingest;

import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.store.TableNames;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The DynamoDB unit history store keeps the contract its in-memory twin is tested against (fresh tables per test). */
@ExtendWith(DynamoDbLocalExtension.class)
class DynamoDbUnitHistoryStoreContractTest extends UnitHistoryStoreContract {
    private LocalTables tables;

    @BeforeEach
    void tables(LocalTables tables) {
        this.tables = tables;
    }

    @Override
    protected UnitHistoryStore store() {
        return new DynamoDbUnitHistoryStore(tables.client(), TableNames.fromLogicalIds(tables.names()));
    }
}
