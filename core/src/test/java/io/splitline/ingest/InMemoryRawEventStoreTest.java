package io.splitline.ingest;

/** The twin keeps the contract of every {@link RawEventStore}. */
class InMemoryRawEventStoreTest extends RawEventStoreContract {
    @Override
    protected RawEventStore store() {
        return new InMemoryRawEventStore();
    }
}
