package io.splitline.holdout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.error.InvalidFieldException;
import io.splitline.error.NotFoundException;
import io.splitline.error.StateConflictException;
import io.splitline.error.VersionConflictException;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.experiment.LifecycleAction;
import io.splitline.experiment.MetricSums;
import io.splitline.json.Fields;
import io.splitline.json.Json;
import io.splitline.store.DefinitionKind;
import io.splitline.store.DefinitionStore;
import io.splitline.store.HistoryEntry;
import io.splitline.store.HistoryPage;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The holdouts management API over the {@link DefinitionStore}, with the guarantees of the experiments'
 * ({@code ExperimentService}): every change is written with its audit entry, on the version it read,
 * and a request that changes nothing writes nothing. What may change: anything in {@code draft}; once
 * started, the seed is frozen and the percent may only grow (a held-out unit stays held out), and an
 * archived holdout does not change.
 */
public final class HoldoutService {
    private static final DefinitionKind KIND = DefinitionKind.HOLDOUT;
    /** What a PATCH may carry: the version read and definition fields. */
    private static final Set<String> PATCH_FIELDS = Set.of("version", "key", "description", "percent", "seed",
            "metrics", "confidenceLevel", "minimumSampleSize");

    private final DefinitionStore store;
    private final Clock clock;

    public HoldoutService(DefinitionStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Stores a new holdout in {@code draft} at version 1. */
    public Holdout create(HoldoutSpec spec, String actor) {
        Instant now = now();
        Holdout holdout = new Holdout(spec, ExperimentStatus.DRAFT, 1, now, now, null, null);
        store.create(HoldoutStoreCodec.encode(holdout), new HistoryEntry(now, actor, "create", 1, HoldoutJson.specToJson(spec)));
        return holdout;
    }

    /** The holdout, read consistently. */
    public Holdout get(String key) {
        Fields.requireKey(key, "key");
        return store.get(KIND, key)
                .map(HoldoutStoreCodec::decode)
                .orElseThrow(() -> new NotFoundException("holdout '" + key + "' not found"));
    }

    /** Every holdout, or those in one status ({@code running}; null for all), sorted by key. */
    public List<Holdout> list(String status) {
        Optional<ExperimentStatus> wanted = Optional.ofNullable(status).map(s -> ExperimentStatus.fromJson(s)
                .orElseThrow(() -> new InvalidFieldException("status",
                        "status must be one of draft, running, paused, completed, archived (got '" + s + "')")));
        return store.list(KIND).stream()
                .map(HoldoutStoreCodec::decode)
                .filter(h -> wanted.isEmpty() || h.status() == wanted.get())
                .sorted(Comparator.comparing(Holdout::key))
                .toList();
    }

    /**
     * Applies a {@code PATCH} body {@code {"version": n, ...fields}}: the named fields replace the current
     * ones (null removes an optional one), the result is validated as a whole and against what the status
     * allows.
     */
    public Holdout update(String key, JsonNode body, String actor) {
        Holdout current = get(key);
        Fields f = Fields.root(body);
        if (f.node().has("status")) {
            throw new InvalidFieldException("status", "status cannot be patched: use POST /holdouts/" + key
                    + "/start, /pause, /resume, /complete or /archive");
        }
        f.allowOnly(PATCH_FIELDS);
        long version = f.integer("version");
        if (f.node().has("key") && !key.equals(f.node().get("key").asText())) {
            throw new InvalidFieldException("key", "key cannot change: create a new holdout instead");
        }
        if (current.version() != version) {
            throw new VersionConflictException("holdout '" + key + "' is at version " + current.version() + ", not " + version
                    + ": read it again and retry", "version");
        }
        ObjectNode merged = HoldoutJson.specToJson(current.spec());
        f.node().properties().forEach(field -> {
            if (!field.getKey().equals("version")) {
                if (field.getValue().isNull()) {
                    merged.remove(field.getKey());
                } else {
                    merged.set(field.getKey(), field.getValue().deepCopy());
                }
            }
        });
        HoldoutSpec next = HoldoutJson.parseSpec(merged);
        ObjectNode changes = diff(current.spec(), next);
        if (changes.isEmpty()) {
            return current;
        }
        check(current, next, changes);
        Instant now = now();
        Holdout updated = new Holdout(next, current.status(), current.version() + 1, current.createdAt(), now,
                current.startedAt(), current.completedAt());
        store.update(HoldoutStoreCodec.encode(updated), current.version(), new HistoryEntry(now, actor, "update", updated.version(), changes));
        return updated;
    }

    private static void check(Holdout current, HoldoutSpec next, ObjectNode changes) {
        ExperimentStatus status = current.status();
        if (status == ExperimentStatus.ARCHIVED) {
            throw new StateConflictException("holdout '" + current.key() + "' is archived and cannot change", null);
        }
        if (status != ExperimentStatus.DRAFT && changes.has("seed")) {
            throw new StateConflictException("seed is frozen once the holdout has started (it decides who is held out)", "seed");
        }
        if (status != ExperimentStatus.DRAFT && next.percent() < current.spec().percent()) {
            throw new StateConflictException("percent can only grow once the holdout has started (from "
                    + current.spec().percent() + " to " + next.percent() + " would release held-out units)", "percent");
        }
        MetricSums.checkUnchanged(status, current.spec().metrics(), next.metrics());
    }

    /** {@code {field: {"from", "to"}}} for each top-level field that differs, in the API form's order. */
    private static ObjectNode diff(HoldoutSpec from, HoldoutSpec to) {
        ObjectNode a = HoldoutJson.specToJson(from);
        ObjectNode b = HoldoutJson.specToJson(to);
        ObjectNode changes = Json.object();
        for (String field : HoldoutJson.FIELDS) {
            JsonNode before = a.has(field) ? a.get(field) : NullNode.getInstance();
            JsonNode after = b.has(field) ? b.get(field) : NullNode.getInstance();
            if (!before.equals(after)) {
                changes.putObject(field).setAll(Map.of("from", before, "to", after));
            }
        }
        return changes;
    }

    /**
     * Moves the holdout through the experiments' lifecycle ({@link LifecycleAction}); only a
     * {@code running} holdout holds units out.
     */
    public Holdout transition(String key, LifecycleAction action, String actor) {
        Holdout current = get(key);
        if (!action.allowedFrom(current.status())) {
            throw new StateConflictException("cannot " + action.json() + " holdout '" + key + "': it is "
                    + current.status().json() + " (" + action.json() + " applies to "
                    + action.from().stream().sorted().map(ExperimentStatus::json).toList() + ")", null);
        }
        Instant now = now();
        Holdout moved = new Holdout(current.spec(), action.to(), current.version() + 1, current.createdAt(), now,
                action == LifecycleAction.START && current.startedAt() == null ? now : current.startedAt(),
                action == LifecycleAction.COMPLETE ? now : current.completedAt());
        ObjectNode changes = Json.object();
        changes.putObject("status").put("from", current.status().json()).put("to", action.to().json());
        store.update(HoldoutStoreCodec.encode(moved), current.version(), new HistoryEntry(now, actor, action.json(), moved.version(), changes));
        return moved;
    }

    /** One page of the audit history. */
    public HistoryPage history(String key, HistoryPage.Request request) {
        Fields.requireKey(key, "key");
        HistoryPage page = store.history(KIND, key, request);
        if (page.entries().isEmpty()) {
            get(key); // every holdout has a create entry: no entries means no holdout (404)
        }
        return page;
    }

    /** Millisecond precision: timestamps read the same in every client. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
