package io.splitline.local;

import io.splitline.definitions.DefinitionCache;
import io.splitline.definitions.DefinitionTargets;
import io.splitline.http.ApiRoutes;
import io.splitline.ingest.DynamoDbStreamDrain;
import io.splitline.metrics.MetricSink;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The local stack's stand-in for the aggregate function's event-source mapping: after every call to the
 * ingest or assignment function (the two that store raw events), the events table's stream is folded
 * ({@link DynamoDbStreamDrain}) before the call answers, so a call's events are counted when its answer comes
 * back. Rollout guardrail values go to the stack's in-memory metrics, as EMF would go to CloudWatch.
 *
 * <p>Calls that end together share a drain: a call waits for a drain that started after its writes ended, and
 * while one drain runs, the calls ending meanwhile wait for the next one, which folds all of their records at
 * once. A drain costs the same few stream reads and fold writes whether it folds one call's records or eight
 * calls', and drains run one at a time anyway (one batch in flight per shard), so under concurrent traffic
 * this folds the same records with a fraction of the DynamoDB requests.
 */
final class LocalStreamFold implements Consumer<ApiRoutes.Function> {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStreamFold.class);

    private final DynamoDbStreamDrain drain;
    /** Calls that asked for a fold so far, each once its writes had ended; a call's number is its ticket. */
    private long asked;
    /** Every ticket up to this one has had a drain that started after it was taken and succeeded. */
    private long foldedThrough;
    private boolean draining;

    LocalStreamFold(DynamoDbClient dynamo, URI endpoint, TableNames tables, MetricSink metrics, Clock clock, Duration cacheTtl) {
        this.drain = DynamoDbStreamDrain.of(dynamo, streams(endpoint), tables,
                new DefinitionTargets(new DefinitionCache(new DynamoDbDefinitionStore(dynamo, tables.definitions()), cacheTtl, clock)),
                metrics, clock);
    }

    private static DynamoDbStreamsClient streams(URI endpoint) {
        return EmulatorClients.at(DynamoDbStreamsClient.builder(), endpoint);
    }

    @Override
    public void accept(ApiRoutes.Function function) {
        if (function != ApiRoutes.Function.INGEST && function != ApiRoutes.Function.ASSIGNMENT) {
            return;
        }
        long covers;
        synchronized (this) {
            long ticket = ++asked;
            while (draining && foldedThrough < ticket) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the server is stopping: answer without waiting
                    return;
                }
            }
            if (foldedThrough >= ticket) {
                return; // a drain that started after this call's writes has ended
            }
            draining = true;
            covers = asked; // every ticket taken so far: their writes ended before the drain below starts
        }
        boolean folded = false;
        try {
            drain.drain();
            folded = true;
        } catch (RuntimeException e) {
            // as in AWS, a failed fold is retried (here: by the calls waiting for it, then at the next call) and does
            // not fail the call that stored
            LOG.error("stream fold failed; retried after the next ingest or assignment call", e);
        } finally {
            synchronized (this) {
                draining = false;
                if (folded) { // a failed drain covers no one: each call it would have covered drains once itself
                    foldedThrough = covers;
                }
                notifyAll();
            }
        }
    }
}
