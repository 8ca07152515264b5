package io.splitline.ingest;

import io.splitline.aggregate.AggregateReader;
import org.junit.jupiter.api.BeforeEach;

/** The in-memory twin keeps the contract the DynamoDB store and reader are held to. */
class InMemoryIngestStoreTest extends IngestStoreContract {
    private InMemoryIngestStore twin;

    @BeforeEach
    void twin() {
        twin = new InMemoryIngestStore();
    }

    @Override
    protected IngestStore store() {
        return twin;
    }

    @Override
    protected AggregateReader reader() {
        return twin;
    }
}
