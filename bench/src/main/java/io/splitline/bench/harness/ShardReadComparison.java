package io.splitline.bench.harness;

import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.aggregate.AggregateReader;
import io.splitline.bench.BenchDefinitions;
import io.splitline.bench.Machine;
import io.splitline.devkit.DynamoDbLocal;
import io.splitline.devkit.RequestCounter;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.ingest.IngestTarget;
import io.splitline.results.ResultsService;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.store.DefinitionStore;
import io.splitline.store.TableNames;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Issue 17's question "the SDK's async client or a small pool: which wins?", on DynamoDB Local at one
 * size: the aggregates of the benchmark experiment read by {@link AggregateReader} with its pool
 * (4 queries in flight, what the functions run; and 7, the most it allows), by {@link AsyncShardReader}
 * (Netty, all 16 in flight), one shard after another, and the whole results call ({@link ResultsService}:
 * definition, read, statistics). All timed in turns, in one JVM; every reader's totals are checked against
 * the ground truth first.
 *
 * <pre>java -Xmx8g -Xmn2g -XX:+UseParallelGC -cp bench/target/benchmarks.jar io.splitline.bench.harness.ShardReadComparison [EVENTS [CALLS]]</pre>
 */
public final class ShardReadComparison {
    private static final int WARMUP_CALLS = 10;

    private ShardReadComparison() {
    }

    public static void main(String[] args) {
        if (System.getProperty("splitline.logLevel") == null) {
            System.setProperty("splitline.logLevel", "WARN");
        }
        long events = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        if (events < 1 || events > 2_000_000 || calls < 1 || calls > 1_000) {
            System.err.println("usage: ShardReadComparison [EVENTS 1..2000000 [CALLS 1..1000]]");
            System.exit(2);
        }
        PrintStream out = System.out;
        out.println("Machine: " + Machine.describe() + "; load average at start " + Machine.loadAverage());
        try (DynamoDbLocal dynamoDb = DynamoDbLocal.startInMemory()) {
            run(dynamoDb.endpoint(), events, calls, out);
        }
        out.println("Load average at end " + Machine.loadAverage());
    }

    private static void run(URI endpoint, long events, int calls, PrintStream out) {
        Bench bench = new Bench(endpoint);
        TableNames tables = bench.freshTables("readers");
        Clock clock = Clock.systemUTC();
        BenchDefinitions.createRunning(bench.client(), tables, clock, List.of(BenchDefinitions.FOUR_BY_FIVE));
        ExperimentSpec spec = BenchDefinitions.spec(BenchDefinitions.FOUR_BY_FIVE);
        GroundTruth truth = GroundTruth.of(bench.client(), tables, spec.key(), clock);
        try (BulkLoader loader = new BulkLoader(bench.client(), tables, clock.instant(), Duration.ofDays(90))) {
            loader.load(new Traffic(spec, clock.instant(), 7), events, truth);
        }
        Map<String, VariantAggregates> expected = truth.byVariant();

        RequestCounter counter = new RequestCounter();
        DynamoDbClient client = bench.countedClient(counter);
        try (DynamoDbAsyncClient async = DynamoDbAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(NettyNioAsyncHttpClient.builder().maxConcurrency(16).build())
                .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
                .build()) {
            String key = spec.key();
            String scope = IngestTarget.EXPERIMENT_SCOPE;
            Map<String, Supplier<Map<String, VariantAggregates>>> readers = new LinkedHashMap<>();
            readers.put("pool, " + DynamoDbAggregateReader.PARALLELISM + " in flight (the functions' reader)", () -> new DynamoDbAggregateReader(client, tables.aggregates()).read(key, scope));
            readers.put("pool, 7 in flight", () -> new DynamoDbAggregateReader(client, tables.aggregates(), 7).read(key, scope));
            readers.put("async client (Netty), 16 in flight", () -> new AsyncShardReader(async, tables.aggregates()).read(key, scope));
            readers.put("one shard after another", () -> new DynamoDbAggregateReader(client, tables.aggregates(), 1).read(key, scope));
            ResultsService results = new ResultsService(new DynamoDbDefinitionStore(client, tables.definitions()),
                    new DynamoDbAggregateReader(client, tables.aggregates()), clock);

            List<String> names = new ArrayList<>(readers.keySet());
            List<Supplier<?>> subjects = new ArrayList<>();
            readers.forEach((name, read) -> {
                if (!GroundTruth.sameNumbers(expected, read.get())) {
                    throw new IllegalStateException(name + ": totals differ from the ground truth");
                }
                subjects.add(read);
            });
            names.add("whole results call (definition + pool read + statistics)");
            subjects.add(() -> results.results(key));

            long[][] nanos = new long[subjects.size()][calls];
            long[] requests = new long[subjects.size()];
            for (int i = 0; i < WARMUP_CALLS; i++) {
                subjects.forEach(Supplier::get);
            }
            for (int call = 0; call < calls; call++) {
                for (int k = 0; k < subjects.size(); k++) {
                    int s = (k + call) % subjects.size(); // rotate who goes first
                    counter.reset();
                    long start = System.nanoTime();
                    subjects.get(s).get();
                    nanos[s][call] = System.nanoTime() - start;
                    requests[s] += counter.total();
                }
            }
            out.printf(Locale.ROOT, "%n%d events, %d calls each in turns, totals = ground truth for every reader%n%n", events, calls);
            out.println("| read | p50 ms | p90 ms | requests/call | p50 ÷ pool-4 p50 |");
            out.println("|---|---:|---:|---:|---:|");
            long reference = Latencies.of(nanos[0]).median();
            for (int s = 0; s < subjects.size(); s++) {
                Latencies l = Latencies.of(nanos[s]);
                out.printf(Locale.ROOT, "| %s | %s | %s | %.0f | %.2f |%n", names.get(s), Latencies.ms(l.median()),
                        Latencies.ms(l.percentile(0.9)), (double) requests[s] / calls, (double) l.median() / reference);
            }
        }
    }
}
