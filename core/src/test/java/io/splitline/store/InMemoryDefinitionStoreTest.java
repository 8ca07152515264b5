package io.splitline.store;

/** The twin keeps the contract of every {@link DefinitionStore}. */
class InMemoryDefinitionStoreTest extends DefinitionStoreContract {
    @Override
    protected DefinitionStore store() {
        return new InMemoryDefinitionStore();
    }
}
