package io.splitline.bench.harness;

import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.bench.BenchDefinitions;
import io.splitline.definitions.DefinitionCache;
import io.splitline.definitions.DefinitionTargets;
import io.splitline.devkit.RequestCounter;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.ingest.DynamoDbIngestStore;
import io.splitline.ingest.EventBatch;
import io.splitline.ingest.IngestResult;
import io.splitline.ingest.IngestResultJson;
import io.splitline.ingest.IngestService;
import io.splitline.ingest.IngestTarget;
import io.splitline.json.Json;
import io.splitline.settings.Settings;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Ingest throughput and DynamoDB requests per accepted event through the real {@link IngestService}
 * (exactly-once transactions), one client thread, at each batch size. After each run the aggregates are
 * checked against the ground truth of the events sent, and the last batch is re-sent to show what a
 * client retry costs and that it counts nothing twice.
 */
final class IngestScenario {
    private static final int WARMUP_EVENTS = 1_000;

    private final Bench bench;
    private final HarnessOptions options;
    private final PrintStream out;

    IngestScenario(Bench bench, HarnessOptions options, PrintStream out) {
        this.bench = bench;
        this.options = options;
        this.out = out;
    }

    void run() {
        out.println("## Ingest (real IngestService, exactly-once transactions, 1 client thread)");
        out.println();
        out.println("| batch size | events | elapsed s | events/s | requests/event | BatchGetItem/event | TransactWriteItems/event | other requests | aggregates = ground truth | re-sent batch: duplicates, requests/event |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---:|:---:|---|");
        for (int batchSize : options.batchSizes()) {
            run(batchSize);
        }
        out.println();
    }

    private void run(int batchSize) {
        TableNames tables = bench.freshTables("ingest");
        Clock clock = Clock.systemUTC();
        BenchDefinitions.createRunning(bench.client(), tables, clock, List.of(BenchDefinitions.FOUR_BY_FIVE));
        ExperimentSpec spec = BenchDefinitions.spec(BenchDefinitions.FOUR_BY_FIVE);
        RequestCounter counter = new RequestCounter();
        DynamoDbClient client = bench.countedClient(counter);
        DefinitionTargets targets = new DefinitionTargets(new DefinitionCache(
                new DynamoDbDefinitionStore(client, tables.definitions()), Settings.DEFINITION_CACHE_TTL, clock));
        IngestService service = new IngestService(new DynamoDbIngestStore(client, tables, Settings.EVENT_RETENTION), targets, datum -> { }, clock);
        IngestTarget target = targets.find(spec.key()).orElseThrow();
        GroundTruth truth = new GroundTruth(target);
        Traffic traffic = new Traffic(spec, clock.instant(), options.seed() + batchSize);

        // Warm-up: the JIT and the connection pool, with the same traffic (it counts in the ground truth).
        int warmup = Math.min(WARMUP_EVENTS, options.ingestEvents());
        for (int sent = 0; sent < warmup; sent += batchSize) {
            send(service, traffic, Math.min(batchSize, warmup - sent), truth, clock);
        }
        counter.reset();

        long events = 0;
        long accepted = 0;
        List<Traffic.Event> last = List.of();
        long deadline = System.nanoTime() + options.ingestBudget().toNanos();
        long start = System.nanoTime();
        while (events < options.ingestEvents() && System.nanoTime() < deadline) {
            int n = (int) Math.min(batchSize, options.ingestEvents() - events);
            last = traffic.next(n);
            IngestResult result = ingest(service, traffic, last, clock);
            last.forEach(truth::apply);
            if (!result.rejected().isEmpty() || result.accepted() != n) {
                throw new IllegalStateException("batch not fully accepted: " + IngestResultJson.toJson(result));
            }
            events += n;
            accepted += result.accepted();
        }
        long elapsed = System.nanoTime() - start;
        Map<String, Long> byOperation = counter.byOperation();
        long total = counter.total();

        Map<String, VariantAggregates> stored = new DynamoDbAggregateReader(bench.client(), tables.aggregates())
                .read(spec.key(), IngestTarget.EXPERIMENT_SCOPE);
        boolean exact = GroundTruth.sameNumbers(stored, truth.byVariant());

        counter.reset();
        IngestResult resent = ingest(service, traffic, last, clock);
        boolean unchanged = GroundTruth.sameNumbers(stored, new DynamoDbAggregateReader(bench.client(), tables.aggregates())
                .read(spec.key(), IngestTarget.EXPERIMENT_SCOPE));
        String retry = String.format(Locale.ROOT, "%d/%d duplicates, %.2f%s", resent.duplicates(), last.size(),
                (double) counter.total() / last.size(), unchanged && resent.accepted() == 0 ? "" : " (COUNTED TWICE)");

        long other = total - byOperation.getOrDefault("BatchGetItem", 0L) - byOperation.getOrDefault("TransactWriteItems", 0L);
        out.printf(Locale.ROOT, "| %d | %d | %.1f | %.0f | %.3f | %.3f | %.3f | %s | %s | %s |%n", batchSize, accepted,
                elapsed / 1e9, accepted / (elapsed / 1e9), (double) total / accepted,
                byOperation.getOrDefault("BatchGetItem", 0L) / (double) accepted,
                byOperation.getOrDefault("TransactWriteItems", 0L) / (double) accepted,
                other == 0 ? "0" : other + " " + otherOperations(byOperation), exact ? "yes" : "**NO**", retry);
        if (!exact || !unchanged || resent.accepted() != 0) {
            throw new IllegalStateException("exactly-once violated at batch size " + batchSize
                    + ": stored " + stored + " expected " + truth.byVariant());
        }
        bench.drop(tables);
    }

    private static String otherOperations(Map<String, Long> byOperation) {
        StringBuilder s = new StringBuilder("(");
        byOperation.forEach((op, n) -> {
            if (!op.equals("BatchGetItem") && !op.equals("TransactWriteItems")) {
                s.append(s.length() > 1 ? ", " : "").append(op).append(' ').append(n);
            }
        });
        return s.append(')').toString();
    }

    private static void send(IngestService service, Traffic traffic, int n, GroundTruth truth, Clock clock) {
        List<Traffic.Event> batch = traffic.next(n);
        ingest(service, traffic, batch, clock);
        batch.forEach(truth::apply);
    }

    /** What the handler does with a body: parse, validate, ingest. */
    private static IngestResult ingest(IngestService service, Traffic traffic, List<Traffic.Event> batch, Clock clock) {
        return service.ingest(EventBatch.parse(Json.parse(traffic.body(batch)), clock.instant()));
    }
}
