package io.splitline.bench.harness;

import io.splitline.aggregate.AggregateTable;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.bench.BenchDefinitions;
import io.splitline.bench.Machine;
import io.splitline.devkit.DynamoDbLocal;
import io.splitline.experiment.Experiment;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentLimits;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.Metric;
import io.splitline.experiment.MetricType;
import io.splitline.ingest.IngestTarget;
import io.splitline.json.Json;
import io.splitline.results.ExperimentResults;
import io.splitline.results.ResultsCalculator;
import io.splitline.results.ResultsJson;
import io.splitline.results.ResultsService;
import io.splitline.results.SegmentAggregates;
import io.splitline.stats.MetricAggregate;
import io.splitline.store.DefinitionKind;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Where the time of a {@code GET /experiments/{key}/results} goes, on DynamoDB Local at several sizes, CUPED
 * on, all timed in turns in one JVM: the call as {@link ResultsService} made it before its {@code ResultsMemo}
 * (definition, aggregates, statistics, response JSON), the call now when no event was counted since the last
 * one (the memo answers the statistics) and when one was (a fresh service, so an empty memo); then its phases:
 * the definition's {@code GetItem} and parsing, the shard queries (and, of their time, how much is on the
 * wire, {@link RoundTripTimer}, and how much is summing the items), the statistics, the response JSON; the
 * statistics with 3 dimensions × 20 values of synthetic segment aggregates (each 1/20 of every sum); and the same
 * aggregate items read by key instead (384 with 16 shards), 4 {@code BatchGetItem}s in flight (bench only, to see whether fewer,
 * larger reads would win).
 *
 * <p>CUPED: the bulk loader writes what ingest leaves for exposures without covariates, so after each load
 * every mean metric's aggregate item gets CUPED's three sums (Σx, Σx², Σxy) as ingest would have added them
 * for units whose exposure carried a covariate x correlated with y (synthetic values, derived from the item's
 * own sums so that θ and the variance reduction are ordinary). The run fails if a comparison of a mean metric
 * has no CUPED estimate.
 *
 * <pre>java -Xmx8g -Xmn2g -XX:+UseParallelGC -cp bench/target/benchmarks.jar io.splitline.bench.harness.ResultsPhases [SIZES [CALLS [SHARDS]]]</pre>
 * with SIZES a comma-separated list of event counts (default 1000,100000,1000000), CALLS per size (default 40), SHARDS
 * the experiment's {@code aggregateShards} (default: the product's default).
 */
public final class ResultsPhases {
    private static final int WARMUP_CALLS = 5;
    private static final int SEGMENT_DIMENSIONS = 3;
    private static final int SEGMENT_VALUES = 20;
    /** The threads of the by-key read: one {@code BatchGetItem} each, as the shard pool runs one query group each. */
    private static final ExecutorService BATCHES = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "batch-get");
        t.setDaemon(true);
        return t;
    });

    private ResultsPhases() {
    }

    public static void main(String[] args) {
        if (System.getProperty("splitline.logLevel") == null) {
            System.setProperty("splitline.logLevel", "WARN");
        }
        List<Long> sizes = args.length > 0
                ? Arrays.stream(args[0].split(",")).map(Long::parseLong).toList()
                : List.of(1_000L, 100_000L, 1_000_000L);
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int shards = args.length > 2 ? Integer.parseInt(args[2]) : ExperimentLimits.DEFAULT_AGGREGATE_SHARDS;
        if (sizes.stream().anyMatch(s -> s < 1 || s > 2_000_000) || calls < 1 || calls > 1_000
                || !ExperimentLimits.AGGREGATE_SHARD_COUNTS.contains(shards)) {
            System.err.println("usage: ResultsPhases [SIZES (comma-separated, each 1..2000000) [CALLS 1..1000 [SHARDS "
                    + ExperimentLimits.AGGREGATE_SHARD_COUNTS + "]]]");
            System.exit(2);
        }
        PrintStream out = System.out;
        out.println("Machine: " + Machine.describe() + "; load average at start " + Machine.loadAverage());
        try (DynamoDbLocal dynamoDb = DynamoDbLocal.startInMemory()) {
            run(new Bench(dynamoDb.endpoint()), sizes, calls, shards, out);
        }
        out.println("Load average at end " + Machine.loadAverage());
    }

    private static void run(Bench bench, List<Long> sizes, int calls, int shards, PrintStream out) {
        TableNames tables = bench.freshTables("phases");
        Clock clock = Clock.systemUTC();
        String json = BenchDefinitions.withAggregateShards(BenchDefinitions.FOUR_BY_FIVE, shards);
        BenchDefinitions.createRunning(bench.client(), tables, clock, List.of(json));
        ExperimentSpec spec = BenchDefinitions.spec(json);
        GroundTruth truth = GroundTruth.of(bench.client(), tables, spec.key(), clock);
        Traffic traffic = new Traffic(spec, clock.instant(), 11);

        RoundTripTimer wire = new RoundTripTimer();
        DynamoDbClient client = bench.client(wire);
        DynamoDbDefinitionStore definitions = new DynamoDbDefinitionStore(client, tables.definitions());
        DynamoDbAggregateReader reader = new DynamoDbAggregateReader(client, tables.aggregates());
        ResultsService service = new ResultsService(definitions, reader, clock);
        String key = spec.key();
        String scope = IngestTarget.EXPERIMENT_SCOPE;

        out.println();
        out.println("| events | units | before p50 ms | p95 | after, aggregates unchanged p50 | p95 | after, aggregates changed p50 | p95"
                + " | definition GetItem | definition parse | " + shards + " shard queries (" + Math.min(shards, DynamoDbAggregateReader.PARALLELISM) + " in flight) | of which summing items | wire time per call, summed"
                + " | statistics | response JSON | statistics with 3 × 20 segments | " + 24 * shards + " keys by 4 BatchGetItems in flight |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        try (BulkLoader loader = new BulkLoader(bench.client(), tables, clock.instant(), Duration.ofDays(90))) {
            long loaded = 0;
            for (long size : sizes) {
                loaded += loader.load(traffic, size - traffic.sent(), truth);
                addCupedSums(bench.client(), tables.aggregates(), spec);
                Map<String, VariantAggregates> stored = reader.read(key, scope, shards);
                requireCuped(service.results(key), spec);

                List<VariantAggregates> data = spec.variants().stream()
                        .map(v -> stored.getOrDefault(v.key(), VariantAggregates.empty(v.key()))).toList();
                List<SegmentAggregates> segments = segments(data);
                List<List<Map<String, AttributeValue>>> items = shardItems(client, tables.aggregates(), key, scope, shards);
                Instant now = clock.instant();
                Experiment experiment = ExperimentJson.fromJson(definitions.get(DefinitionKind.EXPERIMENT, key).orElseThrow().body());
                ExperimentResults computed = ResultsCalculator.compute(spec, experiment.status(), data, now);

                Map<String, Supplier<?>> phases = new LinkedHashMap<>();
                // What ResultsService did before its ResultsMemo: definition, aggregates, statistics every time.
                phases.put("before", () -> {
                    Experiment e = ExperimentJson.fromJson(definitions.get(DefinitionKind.EXPERIMENT, key).orElseThrow().body());
                    Map<String, VariantAggregates> read = reader.read(key, scope, shards);
                    List<VariantAggregates> variants = spec.variants().stream()
                            .map(v -> read.getOrDefault(v.key(), VariantAggregates.empty(v.key()))).toList();
                    return Json.write(ResultsJson.toJson(ResultsCalculator.compute(e.spec(), e.status(), variants, clock.instant())));
                });
                phases.put("unchanged", () -> Json.write(ResultsJson.toJson(service.results(key))));
                // A new service each call: its memo is empty, as after any event counted since the last call.
                phases.put("changed", () -> Json.write(ResultsJson.toJson(new ResultsService(definitions, reader, clock).results(key))));
                phases.put("definition", () -> definitions.get(DefinitionKind.EXPERIMENT, key));
                var body = definitions.get(DefinitionKind.EXPERIMENT, key).orElseThrow().body();
                phases.put("parse", () -> ExperimentJson.fromJson(body));
                phases.put("shards", () -> reader.read(key, scope, shards));
                phases.put("sum", () -> DynamoDbAggregateReader.sum(items));
                phases.put("statistics", () -> ResultsCalculator.compute(spec, experiment.status(), data, now));
                phases.put("json", () -> Json.write(ResultsJson.toJson(computed)));
                phases.put("segments", () -> ResultsCalculator.compute(spec, experiment.status(), data, segments, now));
                List<Map<String, AttributeValue>> keys = aggregateKeys(spec, scope);
                phases.put("batchGet", () -> batchGet(client, tables.aggregates(), keys));
                List<String> names = new ArrayList<>(phases.keySet());

                for (int i = 0; i < WARMUP_CALLS; i++) {
                    phases.values().forEach(Supplier::get);
                }
                long[][] nanos = new long[names.size()][calls];
                long wireNanos = 0;
                long wireRequests = 0;
                for (int call = 0; call < calls; call++) {
                    for (int k = 0; k < names.size(); k++) {
                        int p = (k + call) % names.size(); // rotate who goes first
                        wire.reset();
                        long start = System.nanoTime();
                        phases.get(names.get(p)).get();
                        nanos[p][call] = System.nanoTime() - start;
                        if (names.get(p).equals("before")) {
                            wireNanos += wire.nanos();
                            wireRequests += wire.requests();
                        }
                    }
                }
                long units = stored.values().stream().mapToLong(VariantAggregates::units).sum();
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %d | %d", loaded, units));
                for (int p = 0; p < names.size(); p++) {
                    Latencies l = Latencies.of(nanos[p]);
                    row.append(" | ").append(Latencies.ms(l.median()));
                    if (p < 3) {
                        row.append(" | ").append(Latencies.ms(l.percentile(0.95)));
                    }
                    if (names.get(p).equals("sum")) {
                        row.append(String.format(Locale.ROOT, " | %s (%.0f requests)", Latencies.ms(wireNanos / calls), (double) wireRequests / calls));
                    }
                }
                out.println(row.append(" |"));
                out.flush();
            }
        }
        out.println();
        out.println("Each column after the p95s is a p50 in ms over the same calls, all timed in turns; the wire time is a mean over the 'before' calls.");
        bench.drop(tables);
    }

    /**
     * CUPED's sums on every mean metric's aggregate item, as ingest adds them for units exposed with a covariate
     * x: here x behaves like 0.5·y plus independent noise (Σx = ½Σy, Σx² = 0.3Σy², Σxy = 0.4Σy²), so θ ≈ 1.3
     * and the variance reduction is partial, as with a real pre-period metric.
     */
    private static void addCupedSums(DynamoDbClient dynamo, String table, ExperimentSpec spec) {
        Set<String> mean = spec.metrics().stream().filter(m -> m.type() == MetricType.MEAN).map(Metric::key).collect(Collectors.toSet());
        dynamo.scanPaginator(b -> b.tableName(table)).items().forEach(item -> {
            String sk = item.get(AggregateTable.SK).s();
            int hash = sk.indexOf('#');
            if (hash < 0 || !mean.contains(sk.substring(hash + 1))) {
                return;
            }
            BigDecimal sum = new BigDecimal(item.get(AggregateTable.SUM).n());
            BigDecimal squares = new BigDecimal(item.get(AggregateTable.SUM_SQUARES).n());
            Map<String, AttributeValue> withCuped = new HashMap<>(item);
            withCuped.put(AggregateTable.COVARIATE_SUM, number(sum.multiply(new BigDecimal("0.5"))));
            withCuped.put(AggregateTable.COVARIATE_SUM_SQUARES, number(squares.multiply(new BigDecimal("0.3"))));
            withCuped.put(AggregateTable.CROSS_PRODUCTS, number(squares.multiply(new BigDecimal("0.4"))));
            dynamo.putItem(b -> b.tableName(table).item(withCuped));
        });
    }

    private static AttributeValue number(BigDecimal value) {
        return AttributeValue.fromN(value.stripTrailingZeros().toPlainString());
    }

    private static void requireCuped(ExperimentResults results, ExperimentSpec spec) {
        results.comparisons().stream().filter(c -> c.type() == MetricType.MEAN).forEach(c -> {
            if (c.cuped() == null) {
                throw new IllegalStateException("no CUPED estimate for " + c.variant() + " / " + c.metric());
            }
        });
    }

    /** 3 dimensions × 20 values, each value holding 1/20 of every variant's units and sums. */
    private static List<SegmentAggregates> segments(List<VariantAggregates> data) {
        List<SegmentAggregates> segments = new ArrayList<>();
        BigDecimal share = BigDecimal.valueOf(SEGMENT_VALUES);
        for (int d = 0; d < SEGMENT_DIMENSIONS; d++) {
            for (int v = 0; v < SEGMENT_VALUES; v++) {
                List<VariantAggregates> variants = new ArrayList<>();
                for (VariantAggregates a : data) {
                    Map<String, MetricAggregate> metrics = new HashMap<>();
                    a.metrics().forEach((metric, m) -> metrics.put(metric, new MetricAggregate(m.positiveUnits() / SEGMENT_VALUES,
                            m.sum().divide(share, MathContext.DECIMAL64), m.sumSquares().divide(share, MathContext.DECIMAL64))));
                    variants.add(new VariantAggregates(a.variant(), a.units() / SEGMENT_VALUES, metrics));
                }
                segments.add(new SegmentAggregates("dimension" + d, "value" + v, variants));
            }
        }
        return segments;
    }

    /** The key of every aggregate item the definition names: per shard and variant, its units and each metric. */
    private static List<Map<String, AttributeValue>> aggregateKeys(ExperimentSpec spec, String scope) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int shard = 0; shard < spec.aggregateShards(); shard++) {
            for (var v : spec.variants()) {
                AttributeValue pk = AttributeValue.fromS(AggregateTable.pk(spec.key(), scope, shard));
                keys.add(Map.of(AggregateTable.PK, pk, AggregateTable.SK, AttributeValue.fromS(AggregateTable.unitsSk(v.key()))));
                for (Metric m : spec.metrics()) {
                    keys.add(Map.of(AggregateTable.PK, pk, AggregateTable.SK, AttributeValue.fromS(AggregateTable.metricSk(v.key(), m.key()))));
                }
            }
        }
        return keys;
    }

    /**
     * The items of {@code keys}, strongly consistent, in 4 {@code BatchGetItem}s in flight (unprocessed keys asked
     * again); returns how many were found (a shard that no unit of a variant reached has no item for it).
     */
    private static int batchGet(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> keys) {
        List<Future<Integer>> parts = new ArrayList<>();
        int per = (keys.size() + 3) / 4;
        for (int from = 0; from < keys.size(); from += per) {
            List<Map<String, AttributeValue>> part = keys.subList(from, Math.min(keys.size(), from + per));
            parts.add(BATCHES.submit(() -> {
                int found = 0;
                Map<String, KeysAndAttributes> ask =
                        Map.of(table, KeysAndAttributes.builder().keys(part).consistentRead(true).build());
                while (!ask.isEmpty()) {
                    var r = dynamo.batchGetItem(BatchGetItemRequest.builder().requestItems(ask).build());
                    found += r.responses().getOrDefault(table, List.of()).size();
                    ask = r.unprocessedKeys();
                }
                return found;
            }));
        }
        int found = 0;
        for (var f : parts) {
            try {
                found += f.get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return found;
    }

    /** Every shard's items, one query after another: the input of the summing phase. */
    private static List<List<Map<String, AttributeValue>>> shardItems(DynamoDbClient dynamo, String table, String key, String scope,
                                                                      int count) {
        List<List<Map<String, AttributeValue>>> shards = new ArrayList<>();
        for (int shard = 0; shard < count; shard++) {
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            dynamo.queryPaginator(DynamoDbAggregateReader.shardQuery(table, key, scope, shard)).items().forEach(items::add);
            shards.add(items);
        }
        return shards;
    }
}
