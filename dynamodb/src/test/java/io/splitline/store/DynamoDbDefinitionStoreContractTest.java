package io.splitline.store;

import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The DynamoDB store keeps the contract its in-memory twin is tested against (fresh tables per test). */
@ExtendWith(DynamoDbLocalExtension.class)
class DynamoDbDefinitionStoreContractTest extends DefinitionStoreContract {
    private LocalTables tables;

    @BeforeEach
    void tables(LocalTables tables) {
        this.tables = tables;
    }

    @Override
    protected DefinitionStore store() {
        return new DynamoDbDefinitionStore(tables.client(), TableNames.fromLogicalIds(tables.names()).definitions());
    }
}
