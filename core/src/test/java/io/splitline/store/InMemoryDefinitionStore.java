package io.splitline.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.error.AlreadyExistsException;
import io.splitline.error.NotFoundException;
import io.splitline.error.TooLargeException;
import io.splitline.error.VersionConflictException;
import io.splitline.json.Json;
import io.splitline.json.JsonValues;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * The in-memory twin of {@code DynamoDbDefinitionStore}, for tests of service logic: the same guarantees
 * (keys unique across kinds, no lost write, one history entry per version or run), the same refusals and
 * the same history paging, checked against the DynamoDB store by {@link DefinitionStoreContract}. Every
 * method holds one lock, so each call is atomic as the store's transactions are; bodies and changes are
 * kept as their JSON text parses (the DynamoDB store keeps the text and parses it on every read), so that
 * number nodes have the types a read from DynamoDB gives back, and are copied out.
 */
public final class InMemoryDefinitionStore implements DefinitionStore {
    /** Everything stored, as a test would scan the table for it: equal contents mean nothing was written. */
    public record Contents(Map<String, StoredDefinition> definitions, Map<String, Map<String, HistoryEntry>> histories,
                           Map<String, String> watched) {
    }

    private final Map<String, StoredDefinition> definitions = new HashMap<>();
    private final Map<String, NavigableMap<String, HistoryEntry>> histories = new HashMap<>();
    private final Map<String, String> watched = new HashMap<>();

    @Override
    public synchronized void create(StoredDefinition definition, HistoryEntry created) {
        if (definition.version() != 1 || created.version() != 1) {
            throw new IllegalArgumentException("a new definition and its first history entry have version 1");
        }
        checkSize(definition);
        String id = id(definition.kind(), definition.key());
        if (definitions.containsKey(id)) {
            throw new AlreadyExistsException(definition.kind().label() + " '" + definition.key() + "' already exists",
                    "key", null);
        }
        for (DefinitionKind other : DefinitionKind.values()) {
            if (other != definition.kind() && definitions.containsKey(id(other, definition.key()))) {
                throw new AlreadyExistsException("key '" + definition.key() + "' is already used by "
                        + article(other.label()) + "; experiments and rollouts share one key space", "key", null);
            }
        }
        definitions.put(id, stored(definition));
        NavigableMap<String, HistoryEntry> history = new TreeMap<>();
        history.put(DefinitionKeys.historySk(created.version()), stored(created));
        histories.put(id, history);
    }

    @Override
    public synchronized void update(StoredDefinition definition, long expectedVersion, HistoryEntry change) {
        requireNext(definition, expectedVersion, change);
        write(definition, expectedVersion);
        histories.get(id(definition.kind(), definition.key())).put(DefinitionKeys.historySk(change.version()), stored(change));
    }

    @Override
    public synchronized void updateCollapsing(StoredDefinition definition, long expectedVersion, HistoryEntry change,
                                              BiPredicate<HistoryEntry, HistoryEntry> same) {
        requireNext(definition, expectedVersion, change);
        write(definition, expectedVersion);
        NavigableMap<String, HistoryEntry> history = histories.get(id(definition.kind(), definition.key()));
        Map.Entry<String, HistoryEntry> latest = history.lastEntry();
        if (latest != null && latest.getValue().lastVersion() == expectedVersion && same.test(latest.getValue(), change)) {
            history.put(latest.getKey(), stored(latest.getValue().extendedBy(change.at(), change.changes())));
        } else {
            history.put(DefinitionKeys.historySk(change.version()), stored(change));
        }
    }

    @Override
    public synchronized Optional<StoredDefinition> get(DefinitionKind kind, String key) {
        return Optional.ofNullable(definitions.get(id(kind, key))).map(InMemoryDefinitionStore::copy);
    }

    @Override
    public synchronized Optional<StoredDefinition> find(String key) {
        for (DefinitionKind kind : DefinitionKind.values()) {
            Optional<StoredDefinition> found = get(kind, key);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized List<StoredDefinition> list(DefinitionKind kind) {
        return definitions.values().stream().filter(d -> d.kind() == kind)
                .sorted(Comparator.comparing(StoredDefinition::key)).map(InMemoryDefinitionStore::copy).toList();
    }

    @Override
    public synchronized HistoryPage history(DefinitionKind kind, String key, HistoryPage.Request request) {
        NavigableMap<String, HistoryEntry> history = histories.getOrDefault(id(kind, key), new TreeMap<>());
        NavigableMap<String, HistoryEntry> ordered = request.newestFirst() ? history.descendingMap() : history;
        NavigableMap<String, HistoryEntry> rest = request.after().map(after -> ordered.tailMap(after, false)).orElse(ordered);
        List<HistoryEntry> entries = new ArrayList<>();
        String lastSk = null;
        for (Map.Entry<String, HistoryEntry> e : rest.entrySet()) {
            if (entries.size() == request.limit()) {
                return new HistoryPage(entries, Optional.of(HistoryPage.encode(lastSk)));
            }
            entries.add(copy(e.getValue()));
            lastSk = e.getKey();
        }
        return new HistoryPage(entries, Optional.empty());
    }

    @Override
    public synchronized Optional<String> watchedState(DefinitionKind kind, String key) {
        return Optional.ofNullable(watched.get(id(kind, key)));
    }

    @Override
    public synchronized boolean replaceWatchedState(DefinitionKind kind, String key, Optional<String> expected,
                                                    String next) {
        if (!Optional.ofNullable(watched.get(id(kind, key))).equals(expected)) {
            return false;
        }
        watched.put(id(kind, key), next);
        return true;
    }

    @Override
    public synchronized List<String> due(DefinitionKind kind, Instant now) {
        return definitions.values().stream()
                .filter(d -> d.kind() == kind && d.dueAt() != null && !d.dueAt().isAfter(now))
                .sorted(Comparator.comparing(StoredDefinition::dueAt)).map(StoredDefinition::key).toList();
    }

    @Override
    public synchronized List<HistoryEntry> history(DefinitionKind kind, String key) {
        return histories.getOrDefault(id(kind, key), new TreeMap<>()).values().stream()
                .map(InMemoryDefinitionStore::copy).toList();
    }

    /** A copy of everything stored, to compare before and after a call that must write nothing. */
    public synchronized Contents contents() {
        Map<String, Map<String, HistoryEntry>> historyCopies = new HashMap<>();
        histories.forEach((id, history) -> historyCopies.put(id, Map.copyOf(history)));
        return new Contents(Map.copyOf(definitions), Map.copyOf(historyCopies), Map.copyOf(watched));
    }

    private static void requireNext(StoredDefinition definition, long expectedVersion, HistoryEntry change) {
        if (definition.version() != expectedVersion + 1 || change.version() != definition.version()) {
            throw new IllegalArgumentException("an update writes version " + (expectedVersion + 1)
                    + " of the definition and its history entry");
        }
    }

    private void write(StoredDefinition definition, long expectedVersion) {
        checkSize(definition);
        String id = id(definition.kind(), definition.key());
        StoredDefinition stored = definitions.get(id);
        if (stored == null) {
            throw new NotFoundException(definition.kind().label() + " '" + definition.key() + "' not found");
        }
        if (stored.version() != expectedVersion) {
            throw new VersionConflictException(definition.kind().label() + " '" + definition.key() + "' is at version "
                    + stored.version() + ", not " + expectedVersion + ": read it again and retry", "version");
        }
        definitions.put(id, stored(definition));
    }

    private static void checkSize(StoredDefinition d) {
        int bytes = Json.write(d.body()).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BODY_BYTES) {
            throw new TooLargeException("the " + d.kind().label() + " definition is "
                    + bytes + " bytes of JSON; at most " + MAX_BODY_BYTES + " are stored", null);
        }
    }

    private static String id(DefinitionKind kind, String key) {
        return DefinitionKeys.pk(kind, key);
    }

    private static String article(String noun) {
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    /** What a write keeps: the JSON text of body and changes, parsed once as a read from DynamoDB parses it. */
    private static StoredDefinition stored(StoredDefinition d) {
        return new StoredDefinition(d.kind(), d.key(), d.status(), d.version(), d.updatedAt(), throughText(d.body()),
                d.dueAt(), d.schemaVersion());
    }

    private static HistoryEntry stored(HistoryEntry e) {
        return new HistoryEntry(e.at(), e.actor(), e.action(), e.version(), JsonValues.of((ObjectNode) throughText(JsonValues.node(e.changes()))), e.count(),
                e.lastSeenAt(), e.lastVersion());
    }

    private static JsonNode throughText(JsonNode node) {
        return Json.parseTrusted(Json.write(node));
    }

    private static StoredDefinition copy(StoredDefinition d) {
        return new StoredDefinition(d.kind(), d.key(), d.status(), d.version(), d.updatedAt(), d.body().deepCopy(),
                d.dueAt(), d.schemaVersion());
    }

    private static HistoryEntry copy(HistoryEntry e) {
        return new HistoryEntry(e.at(), e.actor(), e.action(), e.version(), e.changes(), e.count(),
                e.lastSeenAt(), e.lastVersion());
    }
}
