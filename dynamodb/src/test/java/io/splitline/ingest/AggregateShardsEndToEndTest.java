package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.Shards;
import io.splitline.definitions.DefinitionCache;
import io.splitline.definitions.DefinitionTargets;
import io.splitline.devkit.DynamoDbLocal;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.devkit.RequestCounter;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.LifecycleAction;
import io.splitline.json.Json;
import io.splitline.results.ExperimentResults;
import io.splitline.results.ResultsService;
import io.splitline.store.DefinitionKeys;
import io.splitline.store.DefinitionStore;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An experiment's {@code aggregateShards} end to end on DynamoDB Local: the fold, fed by 16 stream shards (one per
 * partition of the 16-shard layout), writes the experiment's sums to its own count of partitions only, and a results
 * call queries exactly those. An experiment stored before the field existed (schema version 1) keeps its 16: its sums
 * are folded over 16 partitions and results count every one of them, the first call after reading the definition.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class AggregateShardsEndToEndTest {
    private static final String ADA = "arn:aws:iam::123456789012:user/ada";
    private static final String KEY = "shards-e2e";
    private static final int UNITS = 64;

    @Test
    void theFoldWritesToTheExperimentsShardsOnly_andResultsQueryThoseOnly(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        DefinitionStore store = new DynamoDbDefinitionStore(local.client(), tables.definitions());
        create(store, 4);

        fold(local, tables, store);

        TreeSet<Integer> written = shardsWithItems(local.client(), tables.aggregates());
        assertTrue(written.size() > 1 && written.last() < 4, "the sums went to 2 or more of shards 0-3 only: " + written);
        RequestCounter counter = new RequestCounter();
        ExperimentResults results = service(local, tables, counter).results(KEY);
        assertEquals(UNITS, results.variants().stream().mapToLong(v -> v.units()).sum());
        assertEquals(4, counter.count("Query"), "one query per shard of the experiment");
    }

    @Test
    void anExperimentStoredBeforeTheField_keeps16Shards_andResultsCountEveryOne(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        DefinitionStore store = new DynamoDbDefinitionStore(local.client(), tables.definitions());
        create(store, 16);
        storeAsVersion1(local.client(), tables.definitions());
        assertEquals(16, new ExperimentService(store, IngestGroundTruthTest.CLOCK).get(KEY).spec().aggregateShards());

        fold(local, tables, store);

        TreeSet<Integer> written = shardsWithItems(local.client(), tables.aggregates());
        assertTrue(written.last() >= 4, "the fold spread the sums over the 16 shards: " + written);
        RequestCounter counter = new RequestCounter();
        ResultsService service = service(local, tables, counter);
        ExperimentResults first = service.results(KEY);
        assertEquals(UNITS, first.variants().stream().mapToLong(v -> v.units()).sum(), "every shard counted");
        assertEquals(4 + 16, counter.count("Query"), "the default count guessed beside the definition, then all 16");
        counter.reset();
        ExperimentResults second = service.results(KEY);
        assertEquals(UNITS, second.variants().stream().mapToLong(v -> v.units()).sum());
        assertEquals(16, counter.count("Query"), "the container remembers the experiment's count");
    }

    /** Creates and starts the experiment, its units' arms fixed by overrides, with {@code shards} aggregate shards. */
    private static void create(DefinitionStore store, int shards) {
        ObjectNode definition = (ObjectNode) Json.parse("""
                {"key": "shards-e2e",
                 "variants": [{"key": "control", "weight": 0.5}, {"key": "treatment", "weight": 0.5}],
                 "metrics": [{"key": "purchase", "type": "conversion", "role": "primary"}]}""");
        definition.put("aggregateShards", shards);
        ObjectNode overrides = definition.putObject("overrides");
        for (int u = 0; u < UNITS; u++) {
            overrides.put("unit-" + u, u % 2 == 0 ? "control" : "treatment");
        }
        ExperimentService experiments = new ExperimentService(store, IngestGroundTruthTest.CLOCK);
        experiments.create(ExperimentJson.parseSpec(definition), ADA);
        experiments.transition(KEY, LifecycleAction.START, ADA);
    }

    /** Rewrites the stored item as code before {@code aggregateShards} wrote it: no field, no schema version. */
    private static void storeAsVersion1(DynamoDbClient dynamo, String table) {
        Map<String, AttributeValue> key = Map.of(DefinitionKeys.PK, AttributeValue.fromS("EXP#" + KEY),
                DefinitionKeys.SK, AttributeValue.fromS(DefinitionKeys.DEFINITION_SK));
        Map<String, AttributeValue> item = new HashMap<>(dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item());
        ObjectNode body = (ObjectNode) Json.parse(item.get(DefinitionKeys.BODY).s());
        body.remove("aggregateShards");
        item.put(DefinitionKeys.BODY, AttributeValue.fromS(Json.write(body)));
        item.remove(DefinitionKeys.SCHEMA_VERSION);
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    /** Each unit's exposure and conversion, on 16 stream shards whose ids fall on the 16 partitions of the old layout. */
    private static void fold(LocalTables local, TableNames tables, DefinitionStore store) {
        StreamAggregator aggregator = new StreamAggregator(new DynamoDbStreamFoldStore(local.client(), tables),
                new DefinitionTargets(new DefinitionCache(store, Duration.ofMinutes(1), IngestGroundTruthTest.CLOCK)));
        List<String> streamShards = streamShardsOnEveryPartition();
        for (int s = 0; s < streamShards.size(); s++) {
            List<StreamRecord> records = new ArrayList<>();
            BigInteger sequence = StreamAggregatorTest.FIRST_SEQUENCE;
            for (int u = s; u < UNITS; u += streamShards.size()) {
                String unit = "unit-" + u;
                sequence = sequence.add(BigInteger.TEN);
                records.add(new StreamRecord(sequence, new IngestEvent(0, unit + "-x", KEY, unit, EventType.EXPOSURE, null,
                        BigDecimal.ZERO, SimulatedTraffic.NOW, false, Map.of())));
                sequence = sequence.add(BigInteger.TEN);
                records.add(new StreamRecord(sequence, new IngestEvent(0, unit + "-p", KEY, unit, EventType.METRIC, "purchase",
                        BigDecimal.ONE, SimulatedTraffic.NOW, false, Map.of())));
            }
            aggregator.apply(streamShards.get(s), records);
        }
    }

    /** Stream shard ids s with {@code Shards.of(s)} = 0, 1, … 15. */
    private static List<String> streamShardsOnEveryPartition() {
        String[] byPartition = new String[Shards.COUNT];
        for (int i = 0, found = 0; found < Shards.COUNT; i++) {
            String id = String.format(Locale.ROOT, "shardId-00000001764600000000-%08d", i);
            if (byPartition[Shards.of(id)] == null) {
                byPartition[Shards.of(id)] = id;
                found++;
            }
        }
        return List.of(byPartition);
    }

    /** The shards of the experiment's whole-experiment partitions that hold an item. */
    private static TreeSet<Integer> shardsWithItems(DynamoDbClient dynamo, String table) {
        TreeSet<Integer> shards = new TreeSet<>();
        for (int shard = 0; shard < Shards.COUNT; shard++) {
            if (!dynamo.query(DynamoDbAggregateReader.shardQuery(table, KEY, IngestTarget.EXPERIMENT_SCOPE, shard)).items().isEmpty()) {
                shards.add(shard);
            }
        }
        return shards;
    }

    private static ResultsService service(LocalTables local, TableNames tables, RequestCounter counter) {
        DynamoDbClient counted = DynamoDbLocal.client(local.endpoint(), counter);
        return new ResultsService(new DynamoDbDefinitionStore(counted, tables.definitions()),
                new DynamoDbAggregateReader(counted, tables.aggregates()), IngestGroundTruthTest.CLOCK);
    }
}
