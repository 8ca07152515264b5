package io.splitline.store;

import io.splitline.error.AlreadyExistsException;
import io.splitline.error.NotFoundException;
import io.splitline.error.TooLargeException;
import io.splitline.error.VersionConflictException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * The port through which the domain keeps experiments and rollouts with their audit history. Every
 * implementation guarantees:
 * <ul>
 *   <li>a key is created once: creating an existing key (of any kind) fails and writes nothing;</li>
 *   <li>no lost write: an update names the version it read and fails when the stored version differs;</li>
 *   <li>every version is described by exactly one history entry: the definition and its entry are written
 *       together, or neither is; an entry describes one version or a run of consecutive versions the caller
 *       deems the same ({@link #updateCollapsing}).</li>
 * </ul>
 * It does not interpret bodies, so the same store serves every kind of definition. The DynamoDB
 * implementation is {@code DynamoDbDefinitionStore} (module {@code dynamodb}); tests of service logic use
 * the in-memory twin.
 */
public interface DefinitionStore {
    /**
     * Largest stored body, in UTF-8 bytes of its JSON. DynamoDB items hold at most 400 KB and an update's
     * history entry may carry a changed field's old and new value, so two bodies must fit in one item.
     */
    int MAX_BODY_BYTES = 192 * 1024;

    /**
     * Writes version 1 of a new definition and its first history entry.
     *
     * @throws AlreadyExistsException (field {@code key}) when the key exists
     * @throws TooLargeException when the body exceeds {@link #MAX_BODY_BYTES}
     */
    void create(StoredDefinition definition, HistoryEntry created);

    /**
     * Replaces a definition, provided the stored one is still at {@code expectedVersion}, and appends its
     * history entry. {@code definition} and {@code change} carry {@code expectedVersion + 1}.
     *
     * @throws VersionConflictException (field {@code version}) when the stored version differs or a
     *                      concurrent write holds the item
     * @throws NotFoundException when there is no such definition
     * @throws TooLargeException when the body exceeds {@link #MAX_BODY_BYTES}
     */
    void update(StoredDefinition definition, long expectedVersion, HistoryEntry change);

    /**
     * Like {@link #update}, but when the latest history entry describes {@code expectedVersion} and
     * {@code same} holds for it and {@code change}, that entry is extended ({@link HistoryEntry#extendedBy})
     * instead of a new one being added: a run of identical versions (a rollout's consecutive holds) is one entry.
     *
     * @param same whether {@code change} continues the run of the latest entry (first argument)
     */
    void updateCollapsing(StoredDefinition definition, long expectedVersion, HistoryEntry change,
                          BiPredicate<HistoryEntry, HistoryEntry> same);

    /** The current definition, read consistently (a read right after a write sees it). */
    Optional<StoredDefinition> get(DefinitionKind kind, String key);

    /** The definition with this key, whichever its kind (keys are unique across kinds), read consistently. */
    Optional<StoredDefinition> find(String key);

    /** Every definition of a kind, in key order; may lag the latest writes by a moment. */
    List<StoredDefinition> list(DefinitionKind kind);

    /**
     * One page of the history of a definition, read consistently: at most {@code request.limit()} entries
     * after {@code request.after()}, and a {@code next} token when more may follow.
     */
    HistoryPage history(DefinitionKind kind, String key, HistoryPage.Request request);

    /** What was last announced about a definition (opaque to the store), read consistently; empty before the first time. */
    Optional<String> watchedState(DefinitionKind kind, String key);

    /**
     * Replaces what was last announced, provided it is still {@code expected} (empty: there was none): of
     * two writers that read the same state, exactly one gets {@code true}.
     */
    boolean replaceWatchedState(DefinitionKind kind, String key, Optional<String> expected, String next);

    /**
     * The keys of the definitions of a kind whose scheduled action is due at {@code now}, soonest first; may
     * lag the latest writes, so callers re-read each definition before acting on it.
     */
    List<String> due(DefinitionKind kind, Instant now);

    /** The history of a definition, oldest first; empty when there is none. */
    List<HistoryEntry> history(DefinitionKind kind, String key);
}
