package io.splitline.ingest;

import java.util.Collection;
import java.util.Map;

/**
 * Wraps a {@link UnitHistoryStore} so that its writes count towards, and can die at, the crash point of a
 * {@link CrashingStreamFoldStore}: an invocation can then crash between any two of the fold's writes.
 */
final class CrashingUnitHistoryStore implements UnitHistoryStore {
    private final UnitHistoryStore store;
    private final CrashingStreamFoldStore crashes;

    CrashingUnitHistoryStore(UnitHistoryStore store, CrashingStreamFoldStore crashes) {
        this.store = store;
        this.crashes = crashes;
    }

    @Override
    public Map<String, UnitHistory> load(Collection<String> unitIds) {
        crashes.read();
        return store.load(unitIds);
    }

    @Override
    public boolean write(String unitId, UnitHistory history) {
        crashes.write();
        return store.write(unitId, history);
    }
}
