package io.splitline.bench.harness;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.bench.BenchDefinitions;
import io.splitline.bench.Machine;
import io.splitline.definitions.DefinitionCache;
import io.splitline.definitions.DefinitionTargets;
import io.splitline.devkit.DynamoDbLocal;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.functions.assignment.AssignmentHandler;
import io.splitline.functions.ingest.IngestHandler;
import io.splitline.http.ApiHandler;
import io.splitline.ingest.IngestTarget;
import io.splitline.results.ResultsService;
import io.splitline.settings.Settings;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import io.splitline.wiring.Wiring;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The measured inputs of docs/cost.md, on DynamoDB Local, for ingest as deployed (design B of docs/ingest-v2.md). For
 * each billed piece of work: the DynamoDB requests, the read and write request units ({@link CapacityMeter}:
 * {@code ReturnConsumedCapacity}, transactions and batch reads priced by rule), the conditional writes refused (billed
 * too), and the CPU time of the code that does it.
 * <ul>
 *   <li>the real {@link AssignmentHandler}: {@code /assign} tracked for a new unit (its raw exposure puts), for a unit
 *       already recorded on a container that no longer remembers it, untracked, and {@code GET /sdk/payload};</li>
 *   <li>the real {@link IngestHandler}: {@code POST /events} in batches of 25 of app-shaped traffic ({@link Traffic});</li>
 *   <li>the stream fold of exactly the items those handlers stored ({@link StoredItems}), by the real
 *       {@code StreamAggregator} over {@code DynamoDbStreamFoldStore} ({@link StreamIngest}), in stream batches of
 *       1 000 (the mapping's {@code BatchSize}: a busy stream) and of 25 (each request alone in its batch: a quiet one);</li>
 *   <li>a results call of the experiment without dimensions.</li>
 * </ul>
 * CPU is the calling thread's plus that of the threads the code hands work to (the raw puts' and the fold's writes in
 * flight); DynamoDB Local runs in this JVM on other threads and is not counted. Every events run ends with the stored
 * aggregates compared with a plain-Java ground truth of the events sent, and the run fails on a difference. Bounded
 * (~1 100 handler calls, 2 × 5 000 events; ~4 min at load 15); loopback only.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.splitline.bench.harness.CostInputs [--smoke]</pre>
 * ({@code --smoke}: 30 calls instead of 200 and 1 000 events instead of 5 000, for CI.)
 */
public final class CostInputs {
    private static final int API_BATCH = 25;
    private static final int MAPPING_BATCH = 1_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Threads the measured code hands its DynamoDB requests to (DynamoDbRawEventStore's, ConcurrentWrites', ShardQueryPool's). */
    private static final List<String> WORKER_THREADS = List.of("raw-event-put", "splitline-fold-write-", "splitline-shard-query-");

    private final Bench bench;
    private final PrintStream out;
    private final int calls;
    private final int events;

    private CostInputs(Bench bench, PrintStream out, boolean smoke) {
        this.bench = bench;
        this.out = out;
        this.calls = smoke ? 30 : 200;
        this.events = smoke ? 1_000 : 5_000;
    }

    public static void main(String[] args) {
        if (System.getProperty("splitline.logLevel") == null) {
            System.setProperty("splitline.logLevel", "WARN");
        }
        boolean smoke = List.of(args).contains("--smoke");
        PrintStream out = System.out;
        out.println("# Inputs of docs/cost.md" + (smoke ? " (smoke run)" : ""));
        out.println();
        out.println("Machine: " + Machine.describe() + "; load average at start " + Machine.loadAverage());
        out.println();
        out.println("| work | per | DynamoDB requests | read units | write units | conditional writes refused (billed) | by operation (requests, units reported by DynamoDB Local, units by rule) | CPU ms | CPU per |");
        out.println("|---|---|---:|---:|---:|---:|---|---:|---|");
        try (DynamoDbLocal dynamoDb = DynamoDbLocal.startInMemory()) {
            CostInputs run = new CostInputs(new Bench(dynamoDb.endpoint()), out, smoke);
            run.events(API_BATCH, false); // first: it also warms the JIT for the handlers and the fold
            run.assign();
            run.events(MAPPING_BATCH, true);
        }
        out.println();
        out.println("Load average at end " + Machine.loadAverage());
    }

    private void assign() {
        TableNames tables = bench.freshTables("cost-assign");
        Clock clock = Clock.systemUTC();
        BenchDefinitions.createRunning(bench.client(), tables, clock, BenchDefinitions.TEN_EXPERIMENTS);
        CapacityMeter meter = new CapacityMeter();
        StoredItems stored = new StoredItems(tables.events());
        DynamoDbClient client = bench.client(stored, meter);
        AssignmentHandler handler = new AssignmentHandler(Wiring.of(client, tables, clock, datum -> { }, Map.of()));
        int warmup = calls / 6;
        List<String> units = BenchDefinitions.unitIds(warmup + 2 * calls, 17);
        assignRequests(units.subList(0, warmup), true).forEach(r -> call(handler, r));
        List<APIGatewayProxyRequestEvent> tracked = assignRequests(units.subList(warmup, warmup + calls), true);
        measureCalls("`POST /assign`, 10 experiments, `track: true`, a new unit", meter, tracked, handler);
        List<Map<String, AttributeValue>> exposures = stored.take();
        out.printf(Locale.ROOT, "| (raw exposure items stored per tracked call: %.2f; %s) |%n",
                (double) exposures.size() / (warmup + calls), sizes(exposures));
        StreamIngest fold = new StreamIngest(client, tables, targets(client, tables, clock), 1, clock.instant());
        exposures.forEach(fold::stored);
        measureFold("stream fold of those exposures, batches of " + MAPPING_BATCH, "`/assign` call", warmup + calls, fold, meter,
                MAPPING_BATCH);

        AssignmentHandler other = new AssignmentHandler(Wiring.of(client, tables, clock, datum -> { }, Map.of()));
        measureCalls("`POST /assign`, `track: true`, unit recorded, on a container that does not remember it", meter, tracked, other);
        measureCalls("`POST /assign`, `track: true`, unit recorded, on the container that recorded it", meter, tracked, other);
        if (!stored.take().isEmpty()) {
            throw new IllegalStateException("a recorded unit's exposure was stored again");
        }
        measureCalls("`POST /assign`, 10 experiments, `track: false`", meter,
                assignRequests(units.subList(warmup + calls, warmup + 2 * calls), false), handler);
        APIGatewayProxyRequestEvent payload = BenchDefinitions.assignEvent(null).withResource("/sdk/payload")
                .withPath("/sdk/payload").withHttpMethod("GET");
        measureCalls("`GET /sdk/payload`, 10 experiments", meter, Collections.nCopies(calls, payload), handler);
        bench.drop(tables);
    }

    private static List<APIGatewayProxyRequestEvent> assignRequests(List<String> units, boolean track) {
        return units.stream().map(unit -> BenchDefinitions.assignEvent(BenchDefinitions.assignBody(unit, track))).toList();
    }

    /**
     * {@code events} events of app-shaped traffic sent to {@code POST /events} in batches of 25, then what was stored
     * folded in stream batches of {@code foldBatch}; with {@code report}, the handler's row and a results call too.
     */
    private void events(int foldBatch, boolean report) {
        TableNames tables = bench.freshTables("cost-events");
        Clock clock = Clock.systemUTC();
        BenchDefinitions.createRunning(bench.client(), tables, clock, List.of(BenchDefinitions.FOUR_BY_FIVE));
        ExperimentSpec spec = BenchDefinitions.spec(BenchDefinitions.FOUR_BY_FIVE);
        CapacityMeter meter = new CapacityMeter();
        StoredItems stored = new StoredItems(tables.events());
        DynamoDbClient client = bench.client(stored, meter);
        IngestHandler handler = new IngestHandler(Wiring.of(client, tables, clock, datum -> { }, Map.of()));
        Traffic traffic = new Traffic(spec, clock.instant(), 23);
        GroundTruth truth = GroundTruth.of(bench.client(), tables, spec.key(), clock);
        List<APIGatewayProxyRequestEvent> batches = new ArrayList<>();
        for (int sent = 0; sent < events; sent += API_BATCH) {
            List<Traffic.Event> batch = traffic.next(API_BATCH);
            batch.forEach(truth::apply);
            batches.add(BenchDefinitions.assignEvent(traffic.body(batch)).withResource("/events").withPath("/events"));
        }
        measure("`POST /events`, batches of " + API_BATCH, "event", events, meter, "batch", () -> {
            batches.forEach(r -> call(handler, r));
            return batches.size();
        });
        List<Map<String, AttributeValue>> items = stored.take();
        if (items.size() != events) {
            throw new IllegalStateException(items.size() + " raw items stored for " + events + " events");
        }
        out.printf(Locale.ROOT, "| (raw event items: %s) |%n", sizes(items));
        StreamIngest fold = new StreamIngest(client, tables, targets(client, tables, clock), 1, clock.instant());
        items.forEach(fold::stored);
        measureFold("stream fold of those events, batches of " + foldBatch, "event", events, fold, meter, foldBatch);
        Map<String, VariantAggregates> aggregates = new DynamoDbAggregateReader(bench.client(), tables.aggregates())
                .read(spec.key(), IngestTarget.EXPERIMENT_SCOPE);
        if (!GroundTruth.sameNumbers(aggregates, truth.byVariant())) {
            throw new IllegalStateException("aggregates differ from the ground truth: " + aggregates + " vs " + truth.byVariant());
        }
        if (report) {
            out.printf(Locale.ROOT, "| (stored after the fold: units table %s; aggregates table %s) |%n",
                    sizes(scan(tables.units())), sizes(scan(tables.aggregates())));
            int reads = Math.max(5, calls / 6);
            measure("`GET /experiments/{key}/results`, 4 variants × 5 metrics, no dimensions, after new events", "call", reads, meter,
                    "call", () -> {
                        for (int i = 0; i < reads; i++) { // a fresh service each call: its memo would answer a repeat
                            new ResultsService(new DynamoDbDefinitionStore(client, tables.definitions()),
                                    new DynamoDbAggregateReader(client, tables.aggregates()), clock).results(spec.key());
                        }
                        return reads;
                    });
        }
        bench.drop(tables);
    }

    /** Folds everything queued in stream batches of {@code batch}: units per {@code per}, CPU per fold batch. */
    private void measureFold(String label, String per, int count, StreamIngest fold, CapacityMeter meter, int batch) {
        measure(label, per, count, meter, "fold batch", () -> fold.foldAll(batch));
    }

    /** Runs {@code work}; units per {@code count} {@code per}, CPU per {@code cpuPer}, of which {@code work} answers how many it did. */
    private void measure(String label, String per, int count, CapacityMeter meter, String cpuPer, IntSupplier work) {
        meter.reset();
        Map<Long, Long> cpu = workCpuNanos();
        int cpuCount = work.getAsInt();
        double cpuMs = cpuBetween(cpu, workCpuNanos()) / 1e6 / cpuCount;
        double requests = meter.refusedConditions();
        double read = 0;
        double write = meter.refusedConditions(); // every refused write here is of an item under 1 KB: 1 unit
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
            ops.append(ops.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%s %.4f, %.4f, %.4f",
                    op, v[0] / count, v[1] / count, v[2] / count));
        }
        out.printf(Locale.ROOT, "| %s | %s | %.4f | %.4f | %.4f | %.4f | %s | %.3f | %s (%d) |%n", label, per, requests / count,
                read / count, write / count, (double) meter.refusedConditions() / count, ops.length() == 0 ? "none" : ops, cpuMs,
                cpuPer, cpuCount);
        out.flush();
    }

    /** Handler calls, one after another: units and CPU per call. */
    private void measureCalls(String label, CapacityMeter meter, List<APIGatewayProxyRequestEvent> requests,
                              ApiHandler handler) {
        measure(label, "call", requests.size(), meter, "call", () -> {
            requests.forEach(r -> call(handler, r));
            return requests.size();
        });
    }

    /**
     * CPU time so far of this thread and of the threads the measured code hands its requests to, by thread id: a
     * measurement is the sum of each thread's difference, so that a pool thread ending meanwhile (the fold's pool lets
     * idle threads go) takes out nothing it did before.
     */
    private static Map<Long, Long> workCpuNanos() {
        Map<Long, Long> byThread = new java.util.HashMap<>();
        byThread.put(Thread.currentThread().getId(), THREADS.getCurrentThreadCpuTime());
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null && WORKER_THREADS.stream().anyMatch(t.getThreadName()::startsWith)) {
                long cpu = THREADS.getThreadCpuTime(t.getThreadId());
                if (cpu >= 0) { // -1: the thread ended meanwhile
                    byThread.put(t.getThreadId(), cpu);
                }
            }
        }
        return byThread;
    }

    /** CPU time spent between two {@link #workCpuNanos()} readings by the threads alive at the second. */
    private static long cpuBetween(Map<Long, Long> before, Map<Long, Long> after) {
        long total = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            total += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return total;
    }

    private static DefinitionTargets targets(DynamoDbClient client, TableNames tables, Clock clock) {
        return new DefinitionTargets(new DefinitionCache(new DynamoDbDefinitionStore(client, tables.definitions()),
                Settings.DEFINITION_CACHE_TTL, clock));
    }

    /** Every item of a table (uncounted). */
    private List<Map<String, AttributeValue>> scan(String table) {
        return bench.client().scanPaginator(b -> b.tableName(table).consistentRead(true)).items().stream().toList();
    }

    /** The items' mean and largest size as DynamoDB bills them ({@link ItemSize}). */
    private static String sizes(List<Map<String, AttributeValue>> items) {
        int largest = items.stream().mapToInt(ItemSize::bytes).max().orElse(0);
        double mean = items.stream().mapToInt(ItemSize::bytes).average().orElse(0);
        return String.format(Locale.ROOT, "%d items, mean %.0f bytes, largest %d bytes", items.size(), mean, largest);
    }

    private static APIGatewayProxyRequestEvent eventsRequest(String body) {
        return BenchDefinitions.assignEvent(body).withResource("/events").withPath("/events");
    }

    private static void call(ApiHandler handler, APIGatewayProxyRequestEvent event) {
        int status = handler.handleRequest(event, null).getStatusCode();
        if (status != 200) {
            throw new IllegalStateException(event.getHttpMethod() + " " + event.getPath() + " answered " + status);
        }
    }
}
