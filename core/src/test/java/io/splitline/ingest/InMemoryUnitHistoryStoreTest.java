package io.splitline.ingest;

/** The twin keeps the contract of every {@link UnitHistoryStore}. */
class InMemoryUnitHistoryStoreTest extends UnitHistoryStoreContract {
    @Override
    protected UnitHistoryStore store() {
        return new InMemoryUnitHistoryStore();
    }
}
