package io.splitline.functions.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.LifecycleAction;
import io.splitline.ingest.IngestTarget;
import io.splitline.json.Json;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import io.splitline.wiring.Wiring;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DynamoDbLocalExtension.class)
class AggregateHandlerTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T10:01:05Z"), ZoneOffset.UTC);

    static final String CHECKOUT = """
            {"key": "checkout-button",
             "variants": [{"key": "control", "weight": 0.5}, {"key": "green", "weight": 0.5}],
             "metrics": [{"key": "purchase", "type": "conversion", "role": "primary"},
                         {"key": "revenue", "type": "mean"}]}""";

    static DynamodbTimeWindowEvent sample() {
        String root = Path.of(System.getProperty("user.dir")).getParent().getParent().toString();
        return EventLoader.loadEvent(Path.of(root, "events", "aggregate-stream.json").toString(), DynamodbTimeWindowEvent.class);
    }

    @Test
    void theSampleStreamBatch_deliveredTwice_isCountedOnce(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        ExperimentService experiments = new ExperimentService(new DynamoDbDefinitionStore(local.client(), tables.definitions()), CLOCK);
        experiments.create(ExperimentJson.parseSpec(Json.parseTrusted(CHECKOUT)), "test");
        experiments.transition("checkout-button", LifecycleAction.START, "test");
        AggregateHandler handler = new AggregateHandler(Wiring.of(local.client(), tables, CLOCK, d -> { }, Map.of()));
        DynamodbTimeWindowEvent event = sample();
        assertNotNull(event.getShardId(), "the tumbling-window event names its shard");

        TimeWindowEventResponse first = handler.handleRequest(event, null);
        handler.handleRequest(sample(), null); // Lambda's retry of a batch whose invocation timed out

        assertEquals(Map.of(), first.getState(), "Lambda requires the window state in the answer");
        Map<String, VariantAggregates> stored = new DynamoDbAggregateReader(local.client(), tables.aggregates())
                .read("checkout-button", IngestTarget.EXPERIMENT_SCOPE);
        assertEquals(1, stored.values().stream().mapToLong(VariantAggregates::units).sum(), "user-1, exposed once");
        VariantAggregates exposed = stored.values().stream().filter(v -> v.units() == 1).findFirst().orElseThrow();
        assertEquals(1, exposed.metric("purchase").positiveUnits(), "user-1's purchase; user-2 was never exposed");
        assertEquals(0, new BigDecimal("30").compareTo(exposed.metric("revenue").sum()), "the keyless revenue, attributed");
        assertEquals(0, new BigDecimal("900").compareTo(exposed.metric("revenue").sumSquares()));
        assertEquals(0, new BigDecimal("12.5").compareTo(exposed.covariates().get("revenue").sumX()));
        assertEquals(0, new BigDecimal("375").compareTo(exposed.covariates().get("revenue").sumXY()), "x·y = 12.5 × 30");
        assertTrue(stored.values().stream().allMatch(v -> v == exposed || v.metric("purchase").sum().signum() == 0));
    }

    @Test
    void eventsOfAnExperimentThatIsNotRunning_countNowhere(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        ExperimentService experiments = new ExperimentService(new DynamoDbDefinitionStore(local.client(), tables.definitions()), CLOCK);
        experiments.create(ExperimentJson.parseSpec(Json.parseTrusted(CHECKOUT)), "test"); // a draft: never started
        AggregateHandler handler = new AggregateHandler(Wiring.of(local.client(), tables, CLOCK, d -> { }, Map.of()));

        handler.handleRequest(sample(), null); // the cache confirms the key with a read of its item before ignoring it

        Map<String, VariantAggregates> stored = new DynamoDbAggregateReader(local.client(), tables.aggregates())
                .read("checkout-button", IngestTarget.EXPERIMENT_SCOPE);
        assertEquals(0, stored.values().stream().mapToLong(VariantAggregates::units).sum(), stored.toString());
    }
}
