package io.splitline.bench.jmh;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.splitline.bench.BenchDefinitions;
import io.splitline.devkit.DynamoDbLocal;
import io.splitline.devkit.SamTemplate;
import io.splitline.functions.assignment.AssignmentHandler;
import io.splitline.store.TableNames;
import io.splitline.wiring.Wiring;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A warm {@code POST /assign} through the real handler: API Gateway event object in, response event out
 * (JSON parse and validation, ten experiments decided, JSON response written). The ten running
 * experiments live in DynamoDB Local, started in the setup; the handler loads them on its first call and
 * then serves them from its cache (the production TTL of 10 s, on the system clock). {@code track} is
 * false, so a warm call does no I/O at all. Sample mode reports the latency distribution (p50, p99).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AssignHandlerBenchmarks {
    private static final int UNITS = 1024;

    private DynamoDbLocal dynamoDb;
    private AssignmentHandler handler;
    private APIGatewayProxyRequestEvent[] events;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        dynamoDb = DynamoDbLocal.startInMemory();
        try {
            prepare();
        } catch (RuntimeException e) {
            dynamoDb.close();
            throw e;
        }
    }

    private void prepare() {
        DynamoDbClient client = dynamoDb.client();
        TableNames tables = TableNames.fromLogicalIds(SamTemplate.load().createTables(client, "bench_"));
        BenchDefinitions.createRunning(client, tables, Clock.systemUTC(), BenchDefinitions.TEN_EXPERIMENTS);
        handler = new AssignmentHandler(Wiring.of(client, tables, Clock.systemUTC(), datum -> { }, Map.of()));
        List<String> units = BenchDefinitions.unitIds(UNITS, 7);
        events = new APIGatewayProxyRequestEvent[UNITS];
        for (int i = 0; i < UNITS; i++) {
            events[i] = BenchDefinitions.assignEvent(BenchDefinitions.assignBody(units.get(i), false));
        }
        APIGatewayProxyResponseEvent first = handler.handleRequest(events[0], null);
        if (first.getStatusCode() != 200 || !first.getBody().contains("\"recommendations-carousel\"")) {
            throw new IllegalStateException("the handler does not answer for the ten experiments: " + first.getBody());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        dynamoDb.close();
    }

    @Benchmark
    public APIGatewayProxyResponseEvent warmAssignTenExperiments() {
        next = (next + 1) & (UNITS - 1);
        return handler.handleRequest(events[next], null);
    }
}
