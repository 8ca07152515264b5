package io.splitline.store;

import static io.splitline.store.DefinitionKeys.ACTION;
import static io.splitline.store.DefinitionKeys.ACTOR;
import static io.splitline.store.DefinitionKeys.AT;
import static io.splitline.store.DefinitionKeys.BODY;
import static io.splitline.store.DefinitionKeys.CHANGES;
import static io.splitline.store.DefinitionKeys.COUNT;
import static io.splitline.store.DefinitionKeys.DUE_AT;
import static io.splitline.store.DefinitionKeys.DUE_KIND;
import static io.splitline.store.DefinitionKeys.KEY;
import static io.splitline.store.DefinitionKeys.KIND;
import static io.splitline.store.DefinitionKeys.LAST_SEEN_AT;
import static io.splitline.store.DefinitionKeys.LAST_VERSION;
import static io.splitline.store.DefinitionKeys.PK;
import static io.splitline.store.DefinitionKeys.SCHEMA_VERSION;
import static io.splitline.store.DefinitionKeys.SK;
import static io.splitline.store.DefinitionKeys.STATUS;
import static io.splitline.store.DefinitionKeys.UPDATED_AT;
import static io.splitline.store.DefinitionKeys.VERSION;

import io.splitline.error.AlreadyExistsException;
import io.splitline.error.NotFoundException;
import io.splitline.error.TooLargeException;
import io.splitline.error.VersionConflictException;
import io.splitline.json.Json;
import io.splitline.json.JsonValue;
import io.splitline.json.JsonValues;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The {@link DefinitionStore} on DynamoDB: experiments and rollouts with their audit history in {@code DefinitionsTable} (layout in
 * {@link DefinitionKeys}). It guarantees:
 * <ul>
 *   <li>a key is created once: creating an existing key is a {@code conflict} and writes nothing;</li>
 *   <li>no lost write: an update names the version it read and fails with {@code conflict} when the
 *       stored version differs ({@code not_found} when there is no such definition);</li>
 *   <li>every version is described by exactly one history entry: the definition and its entry are written
 *       in one transaction, or neither is. An entry describes one version, or a run of consecutive
 *       versions the caller deems the same ({@link #updateCollapsing}): the run's entry is then replaced,
 *       in that transaction, by one that counts the new version too.</li>
 * </ul>
 * It does not interpret bodies, so the same store serves every kind of definition.
 */
public final class DynamoDbDefinitionStore implements DefinitionStore {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbDefinitionStore.class);

    private static final String CONDITION_FAILED = "ConditionalCheckFailed";
    private static final String TRANSACTION_CONFLICT = "TransactionConflict";

    private final DynamoDbClient client;
    private final String table;
    private final Integer pageSize;

    public DynamoDbDefinitionStore(DynamoDbClient client, String table) {
        this(client, table, null);
    }

    /** With {@code pageSize} items per Query page (null: DynamoDB's 1 MB pages), so tests can force paging. */
    DynamoDbDefinitionStore(DynamoDbClient client, String table, Integer pageSize) {
        this.client = client;
        this.table = table;
        this.pageSize = pageSize;
    }

    /**
     * Writes version 1 of a new definition and its first history entry.
     *
     * @throws AlreadyExistsException (field {@code key}) when the key exists
     * @throws TooLargeException when the body exceeds {@link #MAX_BODY_BYTES}
     */
    @Override
    public void create(StoredDefinition definition, HistoryEntry created) {
        if (definition.version() != 1 || created.version() != 1) {
            throw new IllegalArgumentException("a new definition and its first history entry have version 1");
        }
        Put put = Put.builder()
                .tableName(table)
                .item(definitionItem(definition))
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", PK))
                .build();
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().put(put).build());
        items.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(historyItem(definition.kind(), definition.key(), created))).build());
        // Units, aggregates, /assign and /events address a definition by its key alone: one key, one kind.
        List<DefinitionKind> others = new ArrayList<>();
        for (DefinitionKind other : DefinitionKind.values()) {
            if (other != definition.kind()) {
                others.add(other);
                items.add(TransactWriteItem.builder().conditionCheck(c -> c.tableName(table)
                        .key(Map.of(PK, string(DefinitionKeys.pk(other, definition.key())), SK, string(DefinitionKeys.DEFINITION_SK)))
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", PK))).build());
            }
        }
        try {
            client.transactWriteItems(b -> b.transactItems(items));
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            if (!reasons.isEmpty() && CONDITION_FAILED.equals(reasons.get(0).code())) {
                throw new AlreadyExistsException(definition.kind().label() + " '" + definition.key() + "' already exists",
                        "key", e);
            }
            for (int i = 0; i < others.size() && 2 + i < reasons.size(); i++) {
                if (CONDITION_FAILED.equals(reasons.get(2 + i).code())) {
                    throw new AlreadyExistsException("key '" + definition.key() + "' is already used by "
                            + article(others.get(i).label()) + "; experiments, rollouts and holdouts share one key space", "key", e);
                }
            }
            throw concurrentOrUnexpected(definition, e);
        }
        LOG.info("created {} {} version 1", definition.kind().label(), definition.key());
    }

    /**
     * Replaces a definition, provided the stored one is still at {@code expectedVersion}, and appends its
     * history entry. {@code definition} and {@code change} carry {@code expectedVersion + 1}.
     *
     * @throws VersionConflictException (field {@code version}) when the stored version differs or a
     *                      concurrent transaction holds the item
     * @throws NotFoundException when there is no such definition
     * @throws TooLargeException when the body exceeds {@link #MAX_BODY_BYTES}
     */
    @Override
    public void update(StoredDefinition definition, long expectedVersion, HistoryEntry change) {
        if (definition.version() != expectedVersion + 1 || change.version() != definition.version()) {
            throw new IllegalArgumentException("an update writes version " + (expectedVersion + 1)
                    + " of the definition and its history entry");
        }
        write(definition, expectedVersion, historyPut(definition, change, null), change.action());
    }

    /**
     * Like {@link #update}, but when the latest history entry describes {@code expectedVersion} and
     * {@code same} holds for it and {@code change}, that entry is extended ({@link HistoryEntry#extendedBy})
     * instead of a new one being added: a run of identical versions (a rollout's consecutive holds) is one
     * entry. Costs one more read (the latest entry, a consistent one-item Query). The extended entry is
     * written in the transaction of the definition, on the condition that it still ends at
     * {@code expectedVersion}, so the guarantees of {@link #update} hold unchanged.
     *
     * @param same whether {@code change} continues the run of the latest entry (first argument)
     */
    @Override
    public void updateCollapsing(StoredDefinition definition, long expectedVersion, HistoryEntry change,
                                 BiPredicate<HistoryEntry, HistoryEntry> same) {
        if (definition.version() != expectedVersion + 1 || change.version() != definition.version()) {
            throw new IllegalArgumentException("an update writes version " + (expectedVersion + 1)
                    + " of the definition and its history entry");
        }
        Optional<HistoryEntry> latest = latestHistory(definition.kind(), definition.key());
        if (latest.isPresent() && latest.get().lastVersion() == expectedVersion && same.test(latest.get(), change)) {
            HistoryEntry extended = latest.get().extendedBy(change.at(), change.changes());
            write(definition, expectedVersion, historyPut(definition, extended, expectedVersion), change.action());
        } else {
            write(definition, expectedVersion, historyPut(definition, change, null), change.action());
        }
    }

    private void write(StoredDefinition definition, long expectedVersion, Put history, String action) {
        Put put = Put.builder()
                .tableName(table)
                .item(definitionItem(definition))
                .conditionExpression("#version = :expected")
                .expressionAttributeNames(Map.of("#version", VERSION))
                .expressionAttributeValues(Map.of(":expected", number(expectedVersion)))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
        try {
            client.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(put).build(),
                    TransactWriteItem.builder().put(history).build()));
        } catch (TransactionCanceledException e) {
            if (CONDITION_FAILED.equals(reasonCode(e))) {
                CancellationReason reason = e.cancellationReasons().get(0);
                if (!reason.hasItem() || reason.item().isEmpty()) {
                    throw new NotFoundException(definition.kind().label() + " '" + definition.key() + "' not found");
                }
                String stored = reason.item().get(VERSION).n();
                throw new VersionConflictException(definition.kind().label() + " '" + definition.key() + "' is at version "
                        + stored + ", not " + expectedVersion + ": read it again and retry", "version", e);
            }
            if (e.hasCancellationReasons() && e.cancellationReasons().size() > 1
                    && CONDITION_FAILED.equals(e.cancellationReasons().get(1).code())) {
                // The run's entry no longer ends at the version read: another writer got in between.
                throw new VersionConflictException(definition.kind().label() + " '" + definition.key()
                        + "' changed since version " + expectedVersion + " was read: read it again and retry", "version", e);
            }
            throw concurrentOrUnexpected(definition, e);
        }
        LOG.info("updated {} {} to version {} ({})", definition.kind().label(), definition.key(),
                definition.version(), action);
    }

    /**
     * The Put of a history entry; with {@code extending}, a replacement of the entry that must still end
     * at that version.
     */
    private Put historyPut(StoredDefinition definition, HistoryEntry entry, Long extending) {
        Put.Builder put = Put.builder().tableName(table).item(historyItem(definition.kind(), definition.key(), entry));
        if (extending != null) {
            // Entries written before counts existed have no lastVersion: they end at their own version.
            put.conditionExpression("#last = :expected OR (attribute_not_exists(#last) AND #version = :expected)")
                    .expressionAttributeNames(Map.of("#last", LAST_VERSION, "#version", VERSION))
                    .expressionAttributeValues(Map.of(":expected", number(extending)));
        }
        return put.build();
    }

    /** The current definition, read consistently (a read right after a write sees it). */
    @Override
    public Optional<StoredDefinition> get(DefinitionKind kind, String key) {
        Map<String, AttributeValue> item = client.getItem(b -> b
                .tableName(table)
                .key(Map.of(PK, string(DefinitionKeys.pk(kind, key)), SK, string(DefinitionKeys.DEFINITION_SK)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(definition(item));
    }

    /** The definition with this key, whichever its kind (keys are unique across kinds), read consistently. */
    @Override
    public Optional<StoredDefinition> find(String key) {
        for (DefinitionKind kind : DefinitionKind.values()) {
            Optional<StoredDefinition> found = get(kind, key);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /**
     * Every definition of a kind, in key order, through the {@code by-kind} index (all pages). Index reads
     * are eventually consistent: a definition written a moment ago may be missing or one version behind.
     */
    @Override
    public List<StoredDefinition> list(DefinitionKind kind) {
        QueryRequest request = QueryRequest.builder()
                .tableName(table)
                .indexName(DefinitionKeys.BY_KIND_INDEX)
                .keyConditionExpression("#kind = :kind")
                .expressionAttributeNames(Map.of("#kind", KIND))
                .expressionAttributeValues(Map.of(":kind", string(DefinitionKeys.kindValue(kind))))
                .limit(pageSize)
                .build();
        List<StoredDefinition> definitions = new ArrayList<>();
        client.queryPaginator(request).items().forEach(item -> definitions.add(definition(item)));
        return definitions;
    }

    /**
     * One page of the history of a definition, read consistently: at most {@code request.limit()} entries
     * after {@code request.after()}, and a {@code next} token when more may follow. One Query of
     * {@code limit + 1} items (the extra one only tells whether more follow); a page is shorter when the
     * Query stops at DynamoDB's 1 MB, and then still has a token.
     */
    @Override
    public HistoryPage history(DefinitionKind kind, String key, HistoryPage.Request request) {
        QueryRequest.Builder query = historyQuery(kind, key)
                .scanIndexForward(!request.newestFirst())
                .limit(request.limit() + 1);
        request.after().ifPresent(sk -> query.exclusiveStartKey(Map.of(
                PK, string(DefinitionKeys.pk(kind, key)), SK, string(sk))));
        QueryResponse response = client.query(query.build());
        List<Map<String, AttributeValue>> items = response.items();
        List<HistoryEntry> entries = new ArrayList<>();
        for (int i = 0; i < Math.min(items.size(), request.limit()); i++) {
            entries.add(historyEntry(items.get(i)));
        }
        // DynamoDB also stops at 1 MB (creation entries carry a whole definition): then more may follow too.
        boolean more = items.size() > request.limit()
                || (response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() && !items.isEmpty());
        Optional<String> next = more
                ? Optional.of(HistoryPage.encode(items.get(entries.size() - 1).get(SK).s()))
                : Optional.empty();
        return new HistoryPage(entries, next);
    }

    /** A consistent Query of the history items of a definition. */
    private QueryRequest.Builder historyQuery(DefinitionKind kind, String key) {
        return QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :history)")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(Map.of(
                        ":pk", string(DefinitionKeys.pk(kind, key)),
                        ":history", string(DefinitionKeys.HISTORY_SK_PREFIX)))
                .consistentRead(true);
    }

    private Optional<HistoryEntry> latestHistory(DefinitionKind kind, String key) {
        HistoryPage page = history(kind, key, new HistoryPage.Request(1, Optional.empty(), true));
        return page.entries().stream().findFirst();
    }

    /** What was last announced about a definition (opaque to the store), read consistently; empty before the first time. */
    @Override
    public Optional<String> watchedState(DefinitionKind kind, String key) {
        Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table)
                .key(Map.of(PK, string(DefinitionKeys.pk(kind, key)), SK, string(DefinitionKeys.WATCHED_SK)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item.get(DefinitionKeys.STATE).s());
    }

    /**
     * Replaces what was last announced, provided it is still {@code expected} (empty: there was none), with
     * one conditional write: of two writers that read the same state, exactly one gets {@code true}.
     */
    @Override
    public boolean replaceWatchedState(DefinitionKind kind, String key, Optional<String> expected, String next) {
        Map<String, AttributeValue> item = Map.of(
                PK, string(DefinitionKeys.pk(kind, key)),
                SK, string(DefinitionKeys.WATCHED_SK),
                DefinitionKeys.STATE, string(next));
        try {
            client.putItem(b -> {
                b.tableName(table).item(item);
                if (expected.isPresent()) {
                    b.conditionExpression("#state = :expected")
                            .expressionAttributeNames(Map.of("#state", DefinitionKeys.STATE))
                            .expressionAttributeValues(Map.of(":expected", string(expected.get())));
                } else {
                    b.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK));
                }
            });
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * The keys of the definitions of a kind whose scheduled action is due at {@code now}, soonest first,
     * through the sparse {@code by-due} index (keys only, all pages): its cost follows the number of due
     * definitions, not of all definitions. Index reads are eventually consistent: callers re-read each
     * definition before acting on it.
     */
    @Override
    public List<String> due(DefinitionKind kind, Instant now) {
        QueryRequest request = QueryRequest.builder()
                .tableName(table)
                .indexName(DefinitionKeys.BY_DUE_INDEX)
                .keyConditionExpression("#kind = :kind AND #due <= :now")
                .expressionAttributeNames(Map.of("#kind", DUE_KIND, "#due", DUE_AT))
                .expressionAttributeValues(Map.of(":kind", string(DefinitionKeys.kindValue(kind)),
                        ":now", number(now.toEpochMilli())))
                .limit(pageSize)
                .build();
        List<String> keys = new ArrayList<>();
        client.queryPaginator(request).items().forEach(item -> keys.add(item.get(PK).s().substring(kind.prefix().length())));
        return keys;
    }

    /** The history of a definition, oldest first (all pages, read consistently); empty when there is none. */
    @Override
    public List<HistoryEntry> history(DefinitionKind kind, String key) {
        QueryRequest request = historyQuery(kind, key).limit(pageSize).build();
        List<HistoryEntry> entries = new ArrayList<>();
        client.queryPaginator(request).items().forEach(item -> entries.add(historyEntry(item)));
        return entries;
    }

    private static String article(String noun) {
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    /** The code of the definition item's cancellation reason (it is always the first item written). */
    private static String reasonCode(TransactionCanceledException e) {
        return e.hasCancellationReasons() && !e.cancellationReasons().isEmpty()
                ? e.cancellationReasons().get(0).code() : null;
    }

    private static RuntimeException concurrentOrUnexpected(StoredDefinition definition, TransactionCanceledException e) {
        boolean conflict = e.hasCancellationReasons()
                && e.cancellationReasons().stream().anyMatch(r -> TRANSACTION_CONFLICT.equals(r.code()));
        if (conflict) {
            return new VersionConflictException(definition.kind().label() + " '" + definition.key()
                    + "' is being changed by another request: read it again and retry", "version", e);
        }
        return e;
    }

    private static Map<String, AttributeValue> definitionItem(StoredDefinition d) {
        String body = Json.write(d.body());
        int bytes = body.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BODY_BYTES) {
            throw new TooLargeException("the " + d.kind().label() + " definition is "
                    + bytes + " bytes of JSON; at most " + MAX_BODY_BYTES + " are stored", null);
        }
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, string(DefinitionKeys.pk(d.kind(), d.key())));
        item.put(SK, string(DefinitionKeys.DEFINITION_SK));
        item.put(KIND, string(DefinitionKeys.kindValue(d.kind())));
        item.put(KEY, string(d.key()));
        item.put(STATUS, string(d.status()));
        item.put(VERSION, number(d.version()));
        item.put(BODY, string(body));
        item.put(SCHEMA_VERSION, number(d.schemaVersion()));
        item.put(UPDATED_AT, string(d.updatedAt().toString()));
        if (d.dueAt() != null) {
            item.put(DUE_KIND, string(DefinitionKeys.kindValue(d.kind())));
            item.put(DUE_AT, number(d.dueAt().toEpochMilli()));
        }
        return item;
    }

    private static Map<String, AttributeValue> historyItem(DefinitionKind kind, String key, HistoryEntry e) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, string(DefinitionKeys.pk(kind, key)));
        item.put(SK, string(DefinitionKeys.historySk(e.version())));
        item.put(AT, string(e.at().toString()));
        item.put(ACTOR, string(e.actor()));
        item.put(ACTION, string(e.action()));
        item.put(VERSION, number(e.version()));
        item.put(CHANGES, string(JsonValues.write(e.changes())));
        item.put(COUNT, number(e.count()));
        item.put(LAST_SEEN_AT, string(e.lastSeenAt().toString()));
        item.put(LAST_VERSION, number(e.lastVersion()));
        return item;
    }

    private static StoredDefinition definition(Map<String, AttributeValue> item) {
        return new StoredDefinition(
                DefinitionKind.valueOf(item.get(KIND).s()),
                item.get(KEY).s(),
                item.get(STATUS).s(),
                Long.parseLong(item.get(VERSION).n()),
                Instant.parse(item.get(UPDATED_AT).s()),
                Json.parseTrusted(item.get(BODY).s()),
                item.containsKey(DUE_AT) ? Instant.ofEpochMilli(Long.parseLong(item.get(DUE_AT).n())) : null,
                item.containsKey(SCHEMA_VERSION) ? Integer.parseInt(item.get(SCHEMA_VERSION).n()) : StoredDefinition.UNVERSIONED);
    }

    private static HistoryEntry historyEntry(Map<String, AttributeValue> item) {
        Instant at = Instant.parse(item.get(AT).s());
        long version = Long.parseLong(item.get(VERSION).n());
        // Entries written before counts existed describe one version.
        long count = item.containsKey(COUNT) ? Long.parseLong(item.get(COUNT).n()) : 1;
        return new HistoryEntry(at, item.get(ACTOR).s(), item.get(ACTION).s(), version,
                (JsonValue.JsonObject) JsonValues.of(Json.parseTrusted(item.get(CHANGES).s())), count,
                item.containsKey(LAST_SEEN_AT) ? Instant.parse(item.get(LAST_SEEN_AT).s()) : at,
                version + count - 1);
    }

    private static AttributeValue string(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
