package io.splitline.ingest;

import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.store.TableNames;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The DynamoDB raw event store keeps the contract its in-memory twin is tested against (fresh tables per test). */
@ExtendWith(DynamoDbLocalExtension.class)
class DynamoDbRawEventStoreContractTest extends RawEventStoreContract {
    private LocalTables tables;

    @BeforeEach
    void tables(LocalTables tables) {
        this.tables = tables;
    }

    @Override
    protected RawEventStore store() {
        return new DynamoDbRawEventStore(tables.client(), TableNames.fromLogicalIds(tables.names()), Duration.ofDays(1),
                Clock.systemUTC());
    }
}
