package io.splitline.rollout;

import io.splitline.store.DefinitionKind;
import io.splitline.store.DefinitionStore;
import io.splitline.store.HistoryEntry;
import io.splitline.store.HistoryPage;
import java.util.List;
import java.util.Optional;

/**
 * Rollouts in the {@link DefinitionStore} (kind {@link DefinitionKind#ROLLOUT}): the stored form of
 * {@link RolloutStoreCodec}, and one history entry per version made from the version's decision (consecutive
 * identical holds share one entry that counts them, see {@link HoldRun}). Every write
 * is conditional on the version the writer read, so of two writers that read the same version exactly
 * one succeeds and the other gets a {@code conflict}: this is what makes the management API and any
 * number of overlapping scheduled steps safe together.
 */
public final class RolloutRepository {
    private static final DefinitionKind KIND = DefinitionKind.ROLLOUT;

    private final DefinitionStore store;

    public RolloutRepository(DefinitionStore store) {
        this.store = store;
    }

    /** Writes version 1 of a new rollout; {@code conflict} when the key exists. */
    public void create(Rollout rollout) {
        store.create(RolloutStoreCodec.encode(rollout), RolloutHistoryJson.historyEntry(rollout));
    }

    /** The rollout, read consistently. */
    public Optional<Rollout> find(String key) {
        return store.get(KIND, key).map(RolloutStoreCodec::decode);
    }

    /** Every rollout in key order (an eventually consistent index read). */
    public List<Rollout> list() {
        return store.list(KIND).stream().map(RolloutStoreCodec::decode).toList();
    }

    /**
     * Replaces {@code current} by {@code next} (its next version) with {@code next}'s decision as the
     * history entry, both or neither.
     *
     * @throws io.splitline.error.VersionConflictException when the stored rollout is no longer at
     *         {@code current.version()}
     * @throws io.splitline.error.NotFoundException when it is gone
     */
    public void write(Rollout current, Rollout next) {
        if (next.version() != current.version() + 1 || !next.key().equals(current.key())) {
            throw new IllegalArgumentException("a write replaces version " + current.version() + " of " + current.key()
                    + " by the next version of the same rollout");
        }
        store.updateCollapsing(RolloutStoreCodec.encode(next), current.version(), RolloutHistoryJson.historyEntry(next), HoldRun::continues);
    }

    /** The history, oldest first; empty when there is no such rollout. */
    public List<HistoryEntry> history(String key) {
        return store.history(KIND, key);
    }

    /** One page of the history; empty when there is no such rollout. */
    public HistoryPage history(String key, HistoryPage.Request request) {
        return store.history(KIND, key, request);
    }
}
