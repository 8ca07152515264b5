package io.splitline.store;

import static io.splitline.store.DefinitionKeys.ACTION;
import static io.splitline.store.DefinitionKeys.ACTOR;
import static io.splitline.store.DefinitionKeys.AT;
import static io.splitline.store.DefinitionKeys.BODY;
import static io.splitline.store.DefinitionKeys.CHANGES;
import static io.splitline.store.DefinitionKeys.KEY;
import static io.splitline.store.DefinitionKeys.KIND;
import static io.splitline.store.DefinitionKeys.PK;
import static io.splitline.store.DefinitionKeys.SK;
import static io.splitline.store.DefinitionKeys.STATUS;
import static io.splitline.store.DefinitionKeys.UPDATED_AT;
import static io.splitline.store.DefinitionKeys.VERSION;

import io.splitline.http.ApiException;
import io.splitline.http.ErrorCode;
import io.splitline.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Experiments and rollouts with their audit history in {@code DefinitionsTable} (layout in
 * {@link DefinitionKeys}). It guarantees:
 * <ul>
 *   <li>a key is created once: creating an existing key is a {@code conflict} and writes nothing;</li>
 *   <li>no lost write: an update names the version it read and fails with {@code conflict} when the
 *       stored version differs ({@code not_found} when there is no such definition);</li>
 *   <li>every version has exactly one history entry: the definition and its entry are written in one
 *       transaction, or neither is.</li>
 * </ul>
 * It does not interpret bodies, so the same store serves every kind of definition.
 */
public final class DefinitionStore {
    private static final Logger LOG = LoggerFactory.getLogger(DefinitionStore.class);

    /**
     * Largest stored body, in UTF-8 bytes of its JSON. DynamoDB items hold at most 400 KB and an update's
     * history entry may carry a changed field's old and new value, so two bodies must fit in one item.
     */
    public static final int MAX_BODY_BYTES = 192 * 1024;

    private static final String CONDITION_FAILED = "ConditionalCheckFailed";
    private static final String TRANSACTION_CONFLICT = "TransactionConflict";

    private final DynamoDbClient client;
    private final String table;
    private final Integer pageSize;

    public DefinitionStore(DynamoDbClient client, String table) {
        this(client, table, null);
    }

    /** With {@code pageSize} items per Query page (null: DynamoDB's 1 MB pages), so tests can force paging. */
    DefinitionStore(DynamoDbClient client, String table, Integer pageSize) {
        this.client = client;
        this.table = table;
        this.pageSize = pageSize;
    }

    /**
     * Writes version 1 of a new definition and its first history entry.
     *
     * @throws ApiException {@code conflict} (field {@code key}) when the key exists,
     *                      {@code payload_too_large} when the body exceeds {@link #MAX_BODY_BYTES}
     */
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
                throw ApiException.conflict(definition.kind().label() + " '" + definition.key() + "' already exists",
                        "key", e);
            }
            for (int i = 0; i < others.size() && 2 + i < reasons.size(); i++) {
                if (CONDITION_FAILED.equals(reasons.get(2 + i).code())) {
                    throw ApiException.conflict("key '" + definition.key() + "' is already used by "
                            + article(others.get(i).label()) + "; experiments and rollouts share one key space", "key", e);
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
     * @throws ApiException {@code conflict} (field {@code version}) when the stored version differs or a
     *                      concurrent transaction holds the item, {@code not_found} when there is no such
     *                      definition, {@code payload_too_large} when the body exceeds {@link #MAX_BODY_BYTES}
     */
    public void update(StoredDefinition definition, long expectedVersion, HistoryEntry change) {
        if (definition.version() != expectedVersion + 1 || change.version() != definition.version()) {
            throw new IllegalArgumentException("an update writes version " + (expectedVersion + 1)
                    + " of the definition and its history entry");
        }
        Put put = Put.builder()
                .tableName(table)
                .item(definitionItem(definition))
                .conditionExpression("#version = :expected")
                .expressionAttributeNames(Map.of("#version", VERSION))
                .expressionAttributeValues(Map.of(":expected", number(expectedVersion)))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
        try {
            write(put, historyItem(definition.kind(), definition.key(), change));
        } catch (TransactionCanceledException e) {
            if (CONDITION_FAILED.equals(reasonCode(e))) {
                CancellationReason reason = e.cancellationReasons().get(0);
                if (!reason.hasItem() || reason.item().isEmpty()) {
                    throw ApiException.notFound(definition.kind().label() + " '" + definition.key() + "' not found");
                }
                String stored = reason.item().get(VERSION).n();
                throw ApiException.conflict(definition.kind().label() + " '" + definition.key() + "' is at version "
                        + stored + ", not " + expectedVersion + ": read it again and retry", "version", e);
            }
            throw concurrentOrUnexpected(definition, e);
        }
        LOG.info("updated {} {} to version {} ({})", definition.kind().label(), definition.key(),
                definition.version(), change.action());
    }

    /** The current definition, read consistently (a read right after a write sees it). */
    public Optional<StoredDefinition> get(DefinitionKind kind, String key) {
        Map<String, AttributeValue> item = client.getItem(b -> b
                .tableName(table)
                .key(Map.of(PK, string(DefinitionKeys.pk(kind, key)), SK, string(DefinitionKeys.DEFINITION_SK)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(definition(item));
    }

    /** The definition with this key, whichever its kind (keys are unique across kinds), read consistently. */
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

    /** The history of a definition, oldest first (all pages, read consistently); empty when there is none. */
    public List<HistoryEntry> history(DefinitionKind kind, String key) {
        QueryRequest request = QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :history)")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(Map.of(
                        ":pk", string(DefinitionKeys.pk(kind, key)),
                        ":history", string(DefinitionKeys.HISTORY_SK_PREFIX)))
                .consistentRead(true)
                .limit(pageSize)
                .build();
        List<HistoryEntry> entries = new ArrayList<>();
        client.queryPaginator(request).items().forEach(item -> entries.add(historyEntry(item)));
        return entries;
    }

    private void write(Put definition, Map<String, AttributeValue> history) {
        client.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().put(definition).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(history)).build()));
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
            return ApiException.conflict(definition.kind().label() + " '" + definition.key()
                    + "' is being changed by another request: read it again and retry", "version", e);
        }
        return e;
    }

    private static Map<String, AttributeValue> definitionItem(StoredDefinition d) {
        String body = Json.write(d.body());
        int bytes = body.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BODY_BYTES) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "the " + d.kind().label() + " definition is "
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
        item.put(UPDATED_AT, string(d.updatedAt().toString()));
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
        item.put(CHANGES, string(Json.write(e.changes())));
        return item;
    }

    private static StoredDefinition definition(Map<String, AttributeValue> item) {
        return new StoredDefinition(
                DefinitionKind.valueOf(item.get(KIND).s()),
                item.get(KEY).s(),
                item.get(STATUS).s(),
                Long.parseLong(item.get(VERSION).n()),
                Instant.parse(item.get(UPDATED_AT).s()),
                Json.parseTrusted(item.get(BODY).s()));
    }

    private static HistoryEntry historyEntry(Map<String, AttributeValue> item) {
        return new HistoryEntry(
                Instant.parse(item.get(AT).s()),
                item.get(ACTOR).s(),
                item.get(ACTION).s(),
                Long.parseLong(item.get(VERSION).n()),
                Json.parseTrusted(item.get(CHANGES).s()));
    }

    private static AttributeValue string(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
