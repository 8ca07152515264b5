package io.splitline.bench.harness;

import io.splitline.aggregate.AggregateReader;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.bench.BenchDefinitions;
import io.splitline.definitions.DefinitionCache;
import io.splitline.definitions.DefinitionTargets;
import io.splitline.devkit.RequestCounter;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.ingest.IngestTarget;
import io.splitline.results.ExperimentResults;
import io.splitline.results.ResultsService;
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
 * Results latency as events accumulate: the real {@link ResultsService} (one GetItem and one Query per
 * aggregate shard, the shards read {@link AggregateReader#PARALLELISM} at a time, then the statistics), the
 * same service reading the shards one after another (timed in turns with it), and the {@link ScanBaseline} (scan every raw event), timed in
 * the same run on the same tables at each size. Events are bulk-loaded ({@link BulkLoader}) to exactly
 * the items ingest leaves; the stored aggregates, the baseline's totals and the ground truth are checked
 * to agree at every size, so both designs answer the same question.
 */
final class ResultsScenario {
    private static final int WARMUP_CALLS = 5;

    private final Bench bench;
    private final HarnessOptions options;
    private final PrintStream out;

    ResultsScenario(Bench bench, HarnessOptions options, PrintStream out) {
        this.bench = bench;
        this.options = options;
        this.out = out;
    }

    void run() {
        out.println("## Results: pre-aggregated read vs scan-all-events baseline (4 variants x 5 metrics)");
        out.println();
        out.println("| events | units | load s | results p50 ms | results p90 ms | shards one by one p50 ms | p90 ms | requests/call | baseline p50 ms | baseline requests/call | baseline / results | same totals |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|");
        TableNames tables = bench.freshTables("results");
        Clock clock = Clock.systemUTC();
        BenchDefinitions.createRunning(bench.client(), tables, clock, List.of(BenchDefinitions.FOUR_BY_FIVE));
        ExperimentSpec spec = BenchDefinitions.spec(BenchDefinitions.FOUR_BY_FIVE);
        IngestTarget target = new DefinitionTargets(new DefinitionCache(new DynamoDbDefinitionStore(bench.client(), tables.definitions()),
                Settings.DEFINITION_CACHE_TTL, clock)).find(spec.key()).orElseThrow();
        GroundTruth truth = new GroundTruth(target);
        Traffic traffic = new Traffic(spec, clock.instant(), options.seed());

        RequestCounter counter = new RequestCounter();
        DynamoDbClient client = bench.countedClient(counter);
        ResultsService results = new ResultsService(new DynamoDbDefinitionStore(client, tables.definitions()),
                new DynamoDbAggregateReader(client, tables.aggregates()), clock);
        // The same service reading its shards one after another, as before the parallel read: timed in turns
        // with the parallel one, so that load hits both alike.
        ResultsService oneByOne = new ResultsService(new DynamoDbDefinitionStore(client, tables.definitions()),
                new DynamoDbAggregateReader(client, tables.aggregates(), 1), clock);
        ScanBaseline baseline = new ScanBaseline(client, tables, clock);

        try (BulkLoader loader = new BulkLoader(bench.client(), tables, clock.instant(), Settings.EVENT_RETENTION)) {
            long loaded = 0;
            for (long size : options.resultSizes()) {
                long start = System.nanoTime();
                loaded += loader.load(traffic, size - traffic.sent(), truth);
                double loadSeconds = (System.nanoTime() - start) / 1e9;

                var expected = truth.byVariant();
                if (!GroundTruth.sameNumbers(expected, new DynamoDbAggregateReader(bench.client(), tables.aggregates())
                        .read(spec.key(), IngestTarget.EXPERIMENT_SCOPE))) {
                    throw new IllegalStateException("stored aggregates differ from the ground truth at " + size + " events");
                }

                for (int i = 0; i < WARMUP_CALLS; i++) {
                    results.results(spec.key());
                    oneByOne.results(spec.key());
                }
                counter.reset();
                Latencies[] inTurns = timeInTurns(options.resultsCalls(), () -> results.results(spec.key()),
                        () -> oneByOne.results(spec.key()));
                Latencies fast = inTurns[0];
                double fastRequests = (double) counter.total() / (2.0 * options.resultsCalls());
                long units = expected.values().stream().mapToLong(v -> v.units()).sum();
                out.printf(Locale.ROOT, "| %d | %d | %.1f | %s | %s | %s | %s | %.0f | %s |%n", loaded, units, loadSeconds,
                        Latencies.ms(fast.median()), Latencies.ms(fast.percentile(0.9)), Latencies.ms(inTurns[1].median()),
                        Latencies.ms(inTurns[1].percentile(0.9)), fastRequests, baseline(expected, size, fast, counter, baseline, spec));
                out.flush();
            }
        }
        bench.drop(tables);
        out.println();
    }

    /** The baseline's columns (p50, requests per call, ratio, same totals), or dashes when it is not run. */
    private String baseline(Map<String, VariantAggregates> expected, long size, Latencies fast, RequestCounter counter,
                            ScanBaseline baseline, ExperimentSpec spec) {
        if (options.baselineCalls() == 0) {
            return "— | — | — | yes";  // the aggregates were still checked against the ground truth
        }
        counter.reset();
        Latencies scan = time(options.baselineCalls(), () -> baseline.results(spec.key()));
        double scanRequests = (double) counter.total() / options.baselineCalls();
        if (!GroundTruth.sameNumbers(expected, baseline.lastTotals())) {
            throw new IllegalStateException("the scan baseline's totals differ from the aggregates at " + size + " events");
        }
        return String.format(Locale.ROOT, "%s | %.0f | %.1fx | yes", Latencies.ms(scan.median()), scanRequests,
                (double) scan.median() / fast.median());
    }

    private interface Call {
        ExperimentResults get();
    }

    private static Latencies time(int calls, Call call) {
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            nanos[i] = timeOne(call);
        }
        return Latencies.of(nanos);
    }

    /** {@code calls} calls of each, alternating (a, b, b, a, a, b …) so neither always goes first. */
    private static Latencies[] timeInTurns(int calls, Call a, Call b) {
        long[] first = new long[calls];
        long[] second = new long[calls];
        for (int i = 0; i < calls; i++) {
            if (i % 2 == 0) {
                first[i] = timeOne(a);
                second[i] = timeOne(b);
            } else {
                second[i] = timeOne(b);
                first[i] = timeOne(a);
            }
        }
        return new Latencies[] {Latencies.of(first), Latencies.of(second)};
    }

    private static long timeOne(Call call) {
        long start = System.nanoTime();
        ExperimentResults r = call.get();
        long nanos = System.nanoTime() - start;
        if (r.variants().isEmpty()) {
            throw new IllegalStateException("empty results");
        }
        return nanos;
    }
}
