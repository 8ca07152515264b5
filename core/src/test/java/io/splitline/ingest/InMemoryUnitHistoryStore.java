package io.splitline.ingest;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** An in-memory twin of {@link UnitHistoryStore}, for the fold's tests; thread-safe, each call atomic. */
final class InMemoryUnitHistoryStore implements UnitHistoryStore {
    final Map<String, UnitHistory> histories = new HashMap<>();

    @Override
    public synchronized Map<String, UnitHistory> load(Collection<String> unitIds) {
        Map<String, UnitHistory> found = new HashMap<>();
        unitIds.stream().filter(histories::containsKey).forEach(id -> found.put(id, histories.get(id)));
        return found;
    }

    @Override
    public synchronized boolean write(String unitId, UnitHistory history) {
        UnitHistory current = histories.get(unitId);
        if ((current == null ? 0 : current.version()) != history.version()) {
            return false;
        }
        histories.put(unitId, history.withVersion(history.version() + 1));
        return true;
    }
}
