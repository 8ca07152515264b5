package io.splitline.bench.harness;

import io.splitline.ingest.DynamoDbIngestStore;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.store.DynamoDbDefinitionStore;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.splitline.aggregate.AggregateReader;
import io.splitline.bench.BenchDefinitions;
import io.splitline.bench.Machine;
import io.splitline.definitions.DefinitionCache;
import io.splitline.definitions.DefinitionTargets;
import io.splitline.devkit.DynamoDbLocal;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.functions.assignment.AssignmentHandler;
import io.splitline.ingest.EventBatch;
import io.splitline.ingest.IngestService;
import io.splitline.ingest.IngestStore;
import io.splitline.json.Json;
import io.splitline.results.ResultsService;
import io.splitline.store.DefinitionStore;
import io.splitline.store.TableNames;
import io.splitline.wiring.Wiring;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The measured inputs of docs/cost.md, on DynamoDB Local: for each billed call (an {@code /assign} with and
 * without exposure tracking, {@code GET /sdk/payload}, an ingested event at batch sizes 1, 25 and 500, a
 * results read), the DynamoDB requests, the read and write request units DynamoDB reports for them
 * ({@link CapacityMeter}: {@code ReturnConsumedCapacity}), and the caller's CPU time. Bounded (a few thousand
 * calls in all); loopback only.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.splitline.bench.harness.CostInputs</pre>
 */
public final class CostInputs {
    private static final int CALLS = 300;
    private static final int WARMUP = 50;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private CostInputs() {
    }

    public static void main(String[] args) {
        if (System.getProperty("splitline.logLevel") == null) {
            System.setProperty("splitline.logLevel", "WARN");
        }
        PrintStream out = System.out;
        out.println("Machine: " + Machine.describe() + "; load average at start " + Machine.loadAverage());
        out.println();
        out.println("| call | calls | DynamoDB requests/call | read units/call | write units/call | by operation (requests, units reported by DynamoDB Local, units by rule, per call) | CPU ms per call (for ingest: per batch) |");
        out.println("|---|---:|---:|---:|---:|---|---:|");
        long[] largestPut = new long[1];
        try (DynamoDbLocal dynamoDb = DynamoDbLocal.startInMemory()) {
            Bench bench = new Bench(dynamoDb.endpoint());
            CapacityMeter meter = new CapacityMeter();
            DynamoDbClient client = DynamoDbLocal.client(dynamoDb.endpoint(), meter);
            assign(bench, client, meter, out);
            for (int batch : new int[] {1, 25, 500}) {
                ingestAndRead(bench, client, meter, batch, out);
            }
            largestPut[0] = meter.largestPutBytes();
        }
        out.println();
        out.println("Read and write units are by DynamoDB's rule (see CapacityMeter); largest item put in a transaction: "
                + largestPut[0] + " bytes (the rule assumes <= 1 KB).");
        out.println("Load average at end " + Machine.loadAverage());
    }

    private static void assign(Bench bench, DynamoDbClient client, CapacityMeter meter, PrintStream out) {
        TableNames tables = bench.freshTables("cost");
        Clock clock = Clock.systemUTC();
        BenchDefinitions.createRunning(bench.client(), tables, clock, BenchDefinitions.TEN_EXPERIMENTS);
        AssignmentHandler handler = new AssignmentHandler(Wiring.of(client, tables, clock, datum -> { }, Map.of()));
        List<String> units = BenchDefinitions.unitIds(WARMUP + 2 * CALLS, 17);
        for (String unit : units.subList(0, WARMUP)) {
            call(handler, BenchDefinitions.assignEvent(BenchDefinitions.assignBody(unit, false)));
        }
        measure("`POST /assign`, 10 experiments, `track: true`, a new unit each call", CALLS, meter, out, i ->
                call(handler, BenchDefinitions.assignEvent(BenchDefinitions.assignBody(units.get(WARMUP + i), true))));
        measure("`POST /assign`, 10 experiments, `track: false`", CALLS, meter, out, i ->
                call(handler, BenchDefinitions.assignEvent(BenchDefinitions.assignBody(units.get(WARMUP + CALLS + i), false))));
        APIGatewayProxyRequestEvent payload = BenchDefinitions.assignEvent(null).withResource("/sdk/payload")
                .withPath("/sdk/payload").withHttpMethod("GET");
        measure("`GET /sdk/payload`, 10 experiments", CALLS, meter, out, i -> call(handler, payload));
        bench.drop(tables);
    }

    private static void ingestAndRead(Bench bench, DynamoDbClient client, CapacityMeter meter, int batch, PrintStream out) {
        TableNames tables = bench.freshTables("cost");
        Clock clock = Clock.systemUTC();
        BenchDefinitions.createRunning(bench.client(), tables, clock, List.of(BenchDefinitions.FOUR_BY_FIVE));
        ExperimentSpec spec = BenchDefinitions.spec(BenchDefinitions.FOUR_BY_FIVE);
        DefinitionTargets targets = new DefinitionTargets(new DefinitionCache(
                new DynamoDbDefinitionStore(client, tables.definitions()), Duration.ofSeconds(10), clock));
        IngestService service = new IngestService(new DynamoDbIngestStore(client, tables, Duration.ofDays(90)), targets, datum -> { }, clock);
        Traffic traffic = new Traffic(spec, clock.instant(), 23 + batch);
        int events = batch == 1 ? 1_000 : 10_000;
        measure(String.format(Locale.ROOT, "`POST /events`, per **event**, batches of %d (today's ingest)", batch), events / batch, meter, out, events,
                i -> service.ingest(EventBatch.parse(Json.parse(traffic.body(traffic.next(batch))), clock.instant())));
        if (batch == 500) {
            ResultsService results = new ResultsService(new DynamoDbDefinitionStore(client, tables.definitions()),
                    new DynamoDbAggregateReader(client, tables.aggregates()), clock);
            measure("`GET /experiments/{key}/results`, 4 variants × 5 metrics", 50, meter, out, i -> results.results(spec.key()));
        }
        bench.drop(tables);
    }

    private interface Call {
        void run(int i);
    }

    private static void measure(String label, int calls, CapacityMeter meter, PrintStream out, Call call) {
        measure(label, calls, meter, out, calls, call);
    }

    /** {@code calls} calls, reported per {@code per} (calls, or events when a call carries several). */
    private static void measure(String label, int calls, CapacityMeter meter, PrintStream out, int per, Call call) {
        meter.reset();
        long cpu = CPU.getCurrentThreadCpuTime();
        for (int i = 0; i < calls; i++) {
            call.run(i);
        }
        double cpuMs = (CPU.getCurrentThreadCpuTime() - cpu) / 1e6 / calls;
        double requests = 0;
        double read = 0;
        double write = 0;
        StringBuilder ops = new StringBuilder();
        for (Map.Entry<String, double[]> e : meter.byOperation().entrySet()) {
            String op = e.getKey();
            double[] v = e.getValue();
            requests += v[0];
            boolean reads = op.equals("Query") || op.equals("GetItem") || op.equals("BatchGetItem");
            if (reads) {
                read += v[2];
            } else {
                write += v[2];
            }
            ops.append(ops.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%s %.4f, %.4f, %.4f", op, v[0] / per, v[1] / per, v[2] / per));
        }
        out.printf(Locale.ROOT, "| %s | %d | %.4f | %.4f | %.4f | %s | %.3f |%n", label, per, requests / per, read / per, write / per,
                ops.length() == 0 ? "none" : ops, cpuMs);
        out.flush();
    }

    private static void call(AssignmentHandler handler, APIGatewayProxyRequestEvent event) {
        int status = handler.handleRequest(event, null).getStatusCode();
        if (status != 200) {
            throw new IllegalStateException(event.getPath() + " answered " + status);
        }
    }
}
