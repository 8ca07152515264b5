package io.splitline.functions.results;

import static io.splitline.http.HandlerCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.devkit.DynamoDbLocal;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.store.TableNames;
import io.splitline.wiring.Wiring;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A results call reads the definition beside the shard queries (not before them), and calls for the same
 * experiment in flight together answer alike.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class ResultsReadsInParallelTest {

    @Test
    void theDefinitionsGetItem_isInFlight_whileTheShardsAreQueried(LocalTables local) {
        TableNames tables = ResultsHandlerTest.runningCheckout(local);
        CountDownLatch queryStarted = new CountDownLatch(1);
        AtomicBoolean overlapped = new AtomicBoolean();
        Map<String, Integer> operations = new ConcurrentHashMap<>();
        ExecutionInterceptor waitForAQuery = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
                operations.merge(operation, 1, Integer::sum);
                if ("Query".equals(operation)) {
                    queryStarted.countDown();
                } else if ("GetItem".equals(operation)) {
                    // Read one after the other, the GetItem would come first and no Query could start meanwhile.
                    try {
                        overlapped.set(queryStarted.await(20, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        DynamoDbClient client = DynamoDbLocal.client(local.endpoint(), waitForAQuery);

        JsonNode body = call(new ResultsHandler(Wiring.of(client, tables, ResultsHandlerTest.CLOCK, d -> { }, Map.of())),
                ResultsHandlerTest.sample(), 200);

        assertTrue(overlapped.get(), "a shard query started while the definition was being read");
        assertEquals(Map.of("GetItem", 1, "Query", 4), operations, "one GetItem and one Query per shard of the experiment (4 by default)");
        assertEquals(20, body.get("variants").get(0).get("units").asInt());
    }

    @Test
    void callsForTheSameExperimentInFlightTogether_answerAlike(LocalTables local) throws Exception {
        TableNames tables = ResultsHandlerTest.runningCheckout(local);
        ResultsHandler handler = new ResultsHandler(Wiring.of(local.client(), tables, ResultsHandlerTest.CLOCK, d -> { }, Map.of()));
        JsonNode expected = call(handler, ResultsHandlerTest.sample(), 200);
        ExecutorService callers = Executors.newFixedThreadPool(6);
        try {
            List<Future<JsonNode>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                // a fresh handler each, so no call is answered from another's memo
                calls.add(callers.submit(() -> call(new ResultsHandler(Wiring.of(local.client(), tables, ResultsHandlerTest.CLOCK,
                        d -> { }, Map.of())), ResultsHandlerTest.sample(), 200)));
            }
            for (Future<JsonNode> c : calls) {
                assertEquals(expected, c.get(60, TimeUnit.SECONDS));
            }
        } finally {
            callers.shutdownNow();
        }
    }
}
