package io.splitline.functions.aggregate;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import io.splitline.definitions.DefinitionCache;
import io.splitline.definitions.DefinitionTargets;
import io.splitline.ingest.DynamoDbStreamFoldStore;
import io.splitline.ingest.DynamoDbUnitHistoryStore;
import io.splitline.ingest.StoredEvents;
import io.splitline.ingest.StreamAggregator;
import io.splitline.ingest.StreamRecord;
import io.splitline.settings.Settings;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.wiring.Wiring;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code AggregateFunction}: folds a batch of the events table's stream into units and aggregates, exactly
 * once ({@link StreamAggregator}). It takes the tumbling-window form of the DynamoDB stream event because that
 * form names the stream shard, which the exactly-once markers are kept per; the window's state is not used
 * (the answer carries an empty one, which Lambda requires). Only INSERTs are folded: a re-sent event
 * overwrites nothing, and TTL deletions are no events. A failure throws, so Lambda retries the batch
 * (bisecting it) and finally hands it to the on-failure destination. Rollout guardrail values go out as EMF.
 */
public final class AggregateHandler implements RequestHandler<DynamodbTimeWindowEvent, TimeWindowEventResponse> {
    private final StreamAggregator aggregator;

    /** Lambda's entry point: wired once per container from the environment. */
    public AggregateHandler() {
        this(Wiring.fromEnvironment());
    }

    public AggregateHandler(Wiring wiring) {
        this(new StreamAggregator(new DynamoDbStreamFoldStore(wiring.dynamo(), wiring.tables(), wiring.clock()),
                new DynamoDbUnitHistoryStore(wiring.dynamo(), wiring.tables()),
                new DefinitionTargets(new DefinitionCache(new DynamoDbDefinitionStore(wiring.dynamo(), wiring.tables().definitions()),
                        wiring.seconds("DEFINITION_CACHE_SECONDS", Settings.DEFINITION_CACHE_TTL), wiring.clock())),
                wiring.metrics(), wiring.clock()));
    }

    public AggregateHandler(StreamAggregator aggregator) {
        this.aggregator = aggregator;
    }

    @Override
    public TimeWindowEventResponse handleRequest(DynamodbTimeWindowEvent event, Context context) {
        if (event.getShardId() == null) { // a mapping without TumblingWindowInSeconds sends the plain stream event
            throw new IllegalStateException("the stream event names no shard: give the event-source mapping a tumbling "
                    + "window (TumblingWindowInSeconds ≥ 1), the exactly-once markers are kept per stream shard");
        }
        List<StreamRecord> records = new ArrayList<>();
        for (DynamodbEvent.DynamodbStreamRecord r : event.getRecords()) {
            if ("INSERT".equals(r.getEventName())) {
                records.add(new StreamRecord(new BigInteger(r.getDynamodb().getSequenceNumber()),
                        StoredEvents.fromImage(StreamImages.toSdk(r.getDynamodb().getNewImage()))));
            }
        }
        aggregator.apply(event.getShardId(), records);
        return new TimeWindowEventResponse(Map.of(), List.of());
    }
}
