package io.splitline.ingest;

import java.util.Collection;
import java.util.Map;

/**
 * The port through which the {@link StreamAggregator} reads and writes units' keyless histories
 * ({@link UnitHistory}); single-item conditional writes. The DynamoDB implementation is
 * {@code DynamoDbUnitHistoryStore} (module {@code dynamodb}).
 */
public interface UnitHistoryStore {
    /** A store that keeps nothing: exposures get their explicit covariates only. */
    UnitHistoryStore NONE = new UnitHistoryStore() {
        @Override
        public Map<String, UnitHistory> load(Collection<String> unitIds) {
            return Map.of();
        }

        @Override
        public boolean write(String unitId, UnitHistory history) {
            return true;
        }
    };

    /** Stored histories by unit id (consistent reads); units without one are absent. */
    Map<String, UnitHistory> load(Collection<String> unitIds);

    /**
     * Writes the history with version {@code history.version() + 1}, if its stored version is still
     * {@code history.version()} (0: no item yet).
     *
     * @return false when the condition failed; nothing was written
     */
    boolean write(String unitId, UnitHistory history);
}
