package io.splitline.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.bench.BenchDefinitions;
import io.splitline.definitions.DefinitionCache;
import io.splitline.definitions.DefinitionTargets;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.ingest.DynamoDbIngestStore;
import io.splitline.ingest.EventBatch;
import io.splitline.ingest.IngestResult;
import io.splitline.ingest.IngestService;
import io.splitline.json.Json;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(DynamoDbLocalExtension.class)
class BulkLoaderTest {
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    /** Fixed-clock events are never past their expiry, whatever today's date (the test tables have TTL off as well). */
    static final Duration RETENTION = Duration.ofDays(365L * 100);
    static final int EVENTS = 2_000;

    @Test
    void bulkLoad_leavesExactlyTheEventAndAggregateItemsThatIngestLeaves(LocalTables ingested) {
        // given the same stream of events, ingested for real into one set of tables …
        LocalTables other = DynamoDbLocalExtension.freshTables();
        try {
            compare(ingested, other);
        } finally {
            other.names().values().forEach(name -> other.client().deleteTable(b -> b.tableName(name)));
        }
    }

    private static void compare(LocalTables ingested, LocalTables other) {
        TableNames viaIngest = TableNames.fromLogicalIds(ingested.names());
        TableNames viaBulk = TableNames.fromLogicalIds(other.names());
        DynamoDbClient client = ingested.client();
        BenchDefinitions.createRunning(client, viaIngest, CLOCK, List.of(BenchDefinitions.FOUR_BY_FIVE));
        BenchDefinitions.createRunning(client, viaBulk, CLOCK, List.of(BenchDefinitions.FOUR_BY_FIVE));
        ExperimentSpec spec = BenchDefinitions.spec(BenchDefinitions.FOUR_BY_FIVE);
        DefinitionTargets targets = new DefinitionTargets(new DefinitionCache(
                new DynamoDbDefinitionStore(client, viaIngest.definitions()), Duration.ofSeconds(60), CLOCK));
        IngestService ingest = new IngestService(new DynamoDbIngestStore(client, viaIngest, RETENTION), targets, datum -> { }, CLOCK);
        Traffic sent = new Traffic(spec, NOW, 11);
        int accepted = 0;
        for (int i = 0; i < EVENTS; i += 100) {
            IngestResult result = ingest.ingest(EventBatch.parse(Json.parse(sent.body(sent.next(100))), NOW));
            accepted += result.accepted();
        }

        // … and bulk-loaded into another
        GroundTruth truth = new GroundTruth(targets.find(spec.key()).orElseThrow());
        long loaded;
        try (BulkLoader loader = new BulkLoader(client, viaBulk, NOW, RETENTION)) {
            loaded = loader.load(new Traffic(spec, NOW, 11), EVENTS, truth);
        }

        // then both hold the same raw events and the same aggregates, item for item
        assertEquals(EVENTS, accepted, "every event of the stream counts");
        assertEquals(EVENTS, loaded);
        Map<String, Map<String, String>> events = items(client, viaIngest.events());
        assertEquals(EVENTS, events.size());
        assertEquals(events, items(client, viaBulk.events()));
        Map<String, Map<String, String>> aggregates = items(client, viaIngest.aggregates());
        assertTrue(aggregates.size() > 4 * 16, "aggregates of every variant in every shard: " + aggregates.size());
        assertEquals(aggregates, items(client, viaBulk.aggregates()));
    }

    /** Every item of a table by its key, numbers written in one canonical form (DynamoDB compares them by value). */
    static Map<String, Map<String, String>> items(DynamoDbClient client, String table) {
        Map<String, Map<String, String>> items = new TreeMap<>();
        for (Map<String, AttributeValue> item : client.scanPaginator(b -> b.tableName(table)).items()) {
            Map<String, String> canonical = new TreeMap<>();
            item.forEach((name, value) -> canonical.put(name, value.n() != null
                    ? "N:" + new BigDecimal(value.n()).stripTrailingZeros().toPlainString()
                    : "S:" + value.s()));
            String key = item.get("pk").s() + (item.containsKey("sk") ? "|" + item.get("sk").s() : "");
            items.put(key, canonical);
        }
        return items;
    }
}
