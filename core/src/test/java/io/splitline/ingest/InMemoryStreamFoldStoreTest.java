package io.splitline.ingest;

import java.time.Clock;

/** The twins of the fold store and of the aggregate reader keep the contract of the DynamoDB ones. */
class InMemoryStreamFoldStoreTest extends StreamFoldStoreContract {
    @Override
    protected Fold fold(Clock clock) {
        InMemoryStreamFoldStore store = new InMemoryStreamFoldStore(clock);
        return new Fold(store, new InMemoryAggregateReader(store));
    }
}
