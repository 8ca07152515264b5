package io.splitline.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.experiment.Experiment;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.experiment.ExperimentStoreCodec;
import io.splitline.experiment.LifecycleAction;
import io.splitline.experiment.MetricType;
import io.splitline.experiment.MultipleTestingCorrection;
import io.splitline.holdout.Holdout;
import io.splitline.holdout.HoldoutService;
import io.splitline.holdout.HoldoutStoreCodec;
import io.splitline.json.Json;
import io.splitline.rollout.Rollout;
import io.splitline.rollout.RolloutRepository;
import io.splitline.rollout.RolloutStatus;
import io.splitline.rollout.RolloutStoreCodec;
import io.splitline.rollout.traffic.LambdaAliasTarget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Definitions stored before schemas were versioned still read, as schema version 1. The items of
 * {@code store/definitions-v1-main-354592d.json} are exactly what {@code main} at 354592d wrote to DynamoDB
 * Local (every attribute, the body byte for byte): two experiments, two rollouts and a holdout, created and
 * started through the services. They are put back as they were and read through the store codecs.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class UnversionedDefinitionsTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC);
    private static final String ADA = "arn:aws:iam::123456789012:user/ada";

    private LocalTables tables;
    private String table;
    private DefinitionStore store;
    private List<Map<String, AttributeValue>> items;

    @BeforeEach
    void putTheItemsOfMain(LocalTables tables) throws IOException {
        this.tables = tables;
        table = TableNames.fromLogicalIds(tables.names()).definitions();
        store = new DynamoDbDefinitionStore(tables.client(), table);
        items = fixture();
        for (Map<String, AttributeValue> item : items) {
            assertFalse(item.containsKey(DefinitionKeys.SCHEMA_VERSION), "the fixture is of unversioned items");
            tables.client().putItem(PutItemRequest.builder().tableName(table).item(item).build());
        }
    }

    @Test
    void experiments_readAsVersion1_withEveryField() {
        ExperimentService experiments = new ExperimentService(store, CLOCK);
        Experiment running = experiments.get("checkout-button");
        assertEquals(ExperimentStatus.RUNNING, running.status());
        assertEquals(2, running.version());
        assertEquals(T0, running.startedAt());
        assertNull(running.completedAt());
        assertEquals(0.8, running.spec().coverage());
        assertEquals("checkout", running.spec().namespace().name());
        assertEquals(Map.of("qa-user-1", "green"), running.spec().overrides());
        assertEquals(List.of("purchase", "revenue", "aov", "error"),
                running.spec().metrics().stream().map(m -> m.key()).toList());
        assertEquals(MetricType.RATIO, running.spec().metrics().get(2).type());
        assertEquals("revenue", running.spec().metrics().get(2).numerator());
        assertEquals(MultipleTestingCorrection.BENJAMINI_HOCHBERG, running.spec().multipleTesting());
        assertEquals(4000, running.spec().expectedUnitsPerVariant());
        assertEquals(14, running.spec().lookbackDays(), "stored before lookbackDays existed: the default");
        assertEquals(16, running.spec().aggregateShards(),
                "stored before aggregateShards existed: the 16 shards its sums were spread over, not the API form's default");
        assertEquals("q1-holdout", running.spec().holdout());
        assertEquals(Instant.parse("2026-12-24T10:00:00Z"), running.spec().endAt());
        assertTrue(running.spec().targeting() != null, "targeting read back");

        Experiment draft = experiments.get("scheduled-banner");
        assertEquals(ExperimentStatus.DRAFT, draft.status());
        assertEquals(Instant.parse("2026-12-01T00:00:00Z"), draft.spec().startAt());
        assertEquals(List.of("checkout-button", "scheduled-banner"), experiments.list(null).stream().map(Experiment::key).toList());
    }

    @Test
    void rolloutsAndHoldouts_readAsVersion1_withEveryField() {
        RolloutRepository rollouts = new RolloutRepository(store);
        Rollout inProgress = rollouts.find("new-ranker").orElseThrow();
        assertEquals(RolloutStatus.IN_PROGRESS, inProgress.status());
        assertEquals(5, inProgress.percent());
        assertEquals(T0, inProgress.stageStartedAt());
        assertEquals(5, inProgress.spec().stages().size());
        assertEquals(1, inProgress.spec().health().metrics().size());
        assertEquals(1, inProgress.spec().health().ratios().size());
        assertEquals(List.of("ranker-v2-5xx"), inProgress.spec().health().alarms());
        assertEquals(2, inProgress.spec().health().guardrails().size());
        assertEquals("start", inProgress.lastDecision().reason());
        Rollout targeted = rollouts.find("lambda-v4").orElseThrow();
        assertEquals(new LambdaAliasTarget("checkout", "live", "3", "4"), targeted.spec().target());
        assertEquals("q1-holdout", targeted.spec().holdout());

        Holdout holdout = new HoldoutService(store, CLOCK).get("q1-holdout");
        assertEquals(ExperimentStatus.RUNNING, holdout.status());
        assertEquals(2.5, holdout.spec().percent());
        assertEquals("q1", holdout.spec().seed());
        assertEquals(0.9, holdout.spec().confidenceLevel());
        assertEquals(2, holdout.spec().metrics().size());
    }

    /**
     * The write side is pinned too: re-encoding what was read gives back the item of main, except that an experiment is
     * now written in schema version 2, which is version 1 with {@code aggregateShards} (16 for these) added.
     */
    @Test
    void everyItem_reEncodes_toTheSameItem() {
        for (Map<String, AttributeValue> item : items) {
            StoredDefinition read = store.get(kind(item), item.get(DefinitionKeys.KEY).s()).orElseThrow();
            assertEquals(StoredDefinition.UNVERSIONED, read.schemaVersion());
            StoredDefinition again = switch (read.kind()) {
                case EXPERIMENT -> ExperimentStoreCodec.encode(ExperimentStoreCodec.decode(read));
                case ROLLOUT -> RolloutStoreCodec.encode(RolloutStoreCodec.decode(read));
                case HOLDOUT -> HoldoutStoreCodec.encode(HoldoutStoreCodec.decode(read));
            };
            String key = read.key();
            if (read.kind() == DefinitionKind.EXPERIMENT) {
                // byte for byte main's body with the count its sums were spread over, just before the lifecycle fields
                String v1 = item.get(DefinitionKeys.BODY).s();
                assertEquals(1, v1.split(",\"status\":", -1).length - 1, key);
                assertEquals(v1.replace(",\"status\":", ",\"aggregateShards\":16,\"status\":"), Json.write(again.body()), key);
                assertEquals(2, again.schemaVersion(), key);
            } else {
                assertEquals(item.get(DefinitionKeys.BODY).s(), Json.write(again.body()), key + ": the body, byte for byte");
                assertEquals(1, again.schemaVersion(), key);
            }
            assertEquals(read.status(), again.status(), key);
            assertEquals(read.version(), again.version(), key);
            assertEquals(read.updatedAt(), again.updatedAt(), key);
            assertEquals(read.dueAt(), again.dueAt(), key);
        }
    }

    @Test
    void theNextWrite_namesItsSchemaVersion() {
        new ExperimentService(store, CLOCK).transition("checkout-button", LifecycleAction.PAUSE, ADA);
        Map<String, AttributeValue> written = tables.client().getItem(GetItemRequest.builder().tableName(table)
                .key(Map.of(DefinitionKeys.PK, AttributeValue.fromS("EXP#checkout-button"),
                        DefinitionKeys.SK, AttributeValue.fromS(DefinitionKeys.DEFINITION_SK)))
                .consistentRead(true).build()).item();
        assertEquals(AttributeValue.fromN("2"), written.get(DefinitionKeys.SCHEMA_VERSION));
        Experiment paused = new ExperimentService(store, CLOCK).get("checkout-button");
        assertEquals(ExperimentStatus.PAUSED, paused.status());
        assertEquals(16, paused.spec().aggregateShards(), "written as version 2, the count kept explicit");
    }

    @Test
    void aSchemaNewerThanTheCode_isRefused_notMisread() {
        Map<String, AttributeValue> newer = new HashMap<>(items.get(0));
        newer.put(DefinitionKeys.SCHEMA_VERSION, AttributeValue.fromN("3"));
        tables.client().putItem(PutItemRequest.builder().tableName(table).item(newer).build());
        String key = newer.get(DefinitionKeys.KEY).s();
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new ExperimentService(store, CLOCK).get(key));
        assertTrue(refused.getMessage().contains("schema version 3"), refused.getMessage());
    }

    @Test
    void aDefinitionOfAnotherKind_isRefused() {
        StoredDefinition rollout = store.get(DefinitionKind.ROLLOUT, "new-ranker").orElseThrow();
        assertThrows(IllegalArgumentException.class, () -> ExperimentStoreCodec.decode(rollout));
    }

    private static DefinitionKind kind(Map<String, AttributeValue> item) {
        return DefinitionKind.valueOf(item.get(DefinitionKeys.KIND).s());
    }

    private static List<Map<String, AttributeValue>> fixture() throws IOException {
        try (InputStream in = UnversionedDefinitionsTest.class.getResourceAsStream("/store/definitions-v1-main-354592d.json")) {
            JsonNode items = Json.parseTrusted(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            Function<JsonNode, AttributeValue> value = v -> v.has("S") ? AttributeValue.fromS(v.get("S").textValue())
                    : AttributeValue.fromN(v.get("N").textValue());
            return StreamSupport.stream(items.spliterator(), false).map(item -> {
                Map<String, AttributeValue> attributes = new HashMap<>();
                item.properties().forEach(a -> attributes.put(a.getKey(), value.apply(a.getValue())));
                return attributes;
            }).toList();
        }
    }
}
