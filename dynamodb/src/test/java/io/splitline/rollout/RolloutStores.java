package io.splitline.rollout;

import io.splitline.devkit.LocalTables;
import io.splitline.store.DefinitionStore;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;

/** The definitions store of the rollout tests, on DynamoDB Local. */
final class RolloutStores {
    private RolloutStores() {
    }

    static DefinitionStore store(LocalTables tables) {
        return new DynamoDbDefinitionStore(tables.client(), TableNames.fromLogicalIds(tables.names()).definitions());
    }
}
