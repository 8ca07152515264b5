package io.splitline.bench.harness;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.AggregateTable;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.DynamoDbSegmentRollups;
import io.splitline.aggregate.SegmentTable;
import io.splitline.aggregate.Shards;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.bench.BenchDefinitions;
import io.splitline.bench.Machine;
import io.splitline.definitions.DefinitionCache;
import io.splitline.definitions.DefinitionTargets;
import io.splitline.devkit.DynamoDbLocal;
import io.splitline.experiment.ExperimentLimits;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.Metric;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.experiment.MetricType;
import io.splitline.ingest.DynamoDbRawEventStore;
import io.splitline.ingest.DynamoDbStreamFoldStore;
import io.splitline.ingest.EventType;
import io.splitline.ingest.IngestEvent;
import io.splitline.ingest.IngestTarget;
import io.splitline.ingest.RawEvent;
import io.splitline.ingest.StoredEvents;
import io.splitline.ingest.StreamAggregator;
import io.splitline.ingest.StreamRecord;
import io.splitline.json.Json;
import io.splitline.results.ExperimentResults;
import io.splitline.results.ResultsCalculator;
import io.splitline.results.ResultsJson;
import io.splitline.results.ResultsService;
import io.splitline.results.SegmentAggregates;
import io.splitline.results.SegmentsJson;
import io.splitline.results.StoredArms;
import io.splitline.settings.Settings;
import io.splitline.stats.BayesianComparison;
import io.splitline.stats.MetricAggregate;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Results latency with CUPED and 3 declared dimensions on, as events accumulate (issue 14: "results stay flat in
 * event count"). The benchmark experiment (4 variants × 5 metrics) declares {@code country}, {@code appVersion} and
 * {@code platform}; each unit's exposure carries those attributes (25 countries and 22 versions, skewed, so each
 * dimension fills its 20 slots and has an {@code (other)} segment; the platform missing for 5 % of units, the
 * {@code (none)} segment) and explicit CUPED covariates for the two mean metrics. The events go through production
 * code all the way to the aggregate items: each becomes the raw item {@code POST /events} stores
 * ({@link DynamoDbRawEventStore#item}), read back as the stream delivers it ({@link StoredEvents#fromImage}), and is
 * folded by the real {@link StreamAggregator} over {@link DynamoDbStreamFoldStore} into DynamoDB Local: unit items,
 * slot sets, the whole experiment's aggregate items and the segment items, exactly as the aggregate function
 * writes them. Only the stream is played here (as the ingest cost bench does): 16 stream shards (with 16 aggregate
 * shards, one per aggregate partition; with fewer, several share one), a unit's records in order on the shard of its unit, folded in batches of up to {@value #FOLD_BATCH}
 * records (the mapping's batch is 1 000; a larger batch merges more increments per item write, which makes loading
 * faster and leaves the same sums). The raw event puts themselves are skipped: results never read them.
 *
 * <p>At each size the run checks that every dimension's segments add up to the whole experiment (units and sums) and
 * that every mean comparison, whole and per segment, has a CUPED estimate, then times in turns, in one JVM:
 * the results call after new events (a fresh {@link ResultsService}, so its memo is empty: definition, the whole experiment's and 16
 * segment shard queries, statistics, response JSON), the call when nothing changed (the memo answers), and its parts:
 * the two shard reads, the statistics without and with segments, the segments' Bayesian view alone (what the
 * statistics spend on {@code probabilityToBeatControl} and {@code expectedLoss} of every segment comparison), the
 * response JSON from the tree, the same with the segments' text reused ({@link SegmentsJson}, as the results function
 * writes it; the run fails unless both are the same bytes) and the proxy response the Lambda entry point writes around
 * it (the body one escaped JSON string); and the requests and read units of one call, as DynamoDB Local reports them ({@link CapacityMeter}:
 * a strongly consistent Query costs 1 per started 4 KB it returns).
 *
 * <p>The first table is the results call that reads the segments live on every call (as before the roll-up). The
 * second is the functions' call, whose segments come from the roll-up ({@link DynamoDbSegmentRollups}, bound
 * {@link Settings#SEGMENT_ROLLUP_MAX_AGE}): the call with the roll-up fresh, each after one new event folded (untimed),
 * so the whole experiment's statistics are computed anew and the segments' come from the memo, as in a warm container
 * while events arrive; the call that recomputes the roll-up (a new service each call, its memo empty: the whole experiment's and 16
 * segment queries, the merge, the conditional put, all statistics), both writing their JSON as the function does
 * (the segments' text kept per memoised segment results: reused by the fresh call, written anew by the recomputing
 * one); the fresh call also writing its whole body from the tree instead (as before {@link SegmentsJson}), in turns with
 * the function's, each after its own new event; the requests and units of each, metered; and the
 * roll-up item's size.
 *
 * <pre>java -Xmx8g -Xmn2g -XX:+UseParallelGC -cp bench/target/benchmarks.jar io.splitline.bench.harness.SegmentedResults [--smoke | SIZES [CALLS [SHARDS]]]</pre>
 * with SIZES a comma-separated list of event counts (default 10000,100000,1000000, each at most 2 000 000), CALLS
 * per size (default 20, at most 1 000) and SHARDS the experiment's {@code aggregateShards} (default: the product's); {@code --smoke} is one size of 2 000 events and 2 calls (seconds).
 */
public final class SegmentedResults {
    /** The declared dimensions. */
    private static final List<String> DIMENSIONS = List.of("country", "appVersion", "platform");
    private static final int FOLD_BATCH = 50_000;
    private static final int FOLD_THREADS = 4;
    private static final int WARMUP_CALLS = 3;
    private static final long SEED = 14;

    private SegmentedResults() {
    }

    public static void main(String[] args) {
        if (System.getProperty("splitline.logLevel") == null) {
            System.setProperty("splitline.logLevel", "WARN");
        }
        boolean smoke = List.of(args).contains("--smoke");
        List<Long> sizes = smoke ? List.of(2_000L)
                : args.length > 0 ? Arrays.stream(args[0].split(",")).map(Long::parseLong).toList()
                : List.of(10_000L, 100_000L, 1_000_000L);
        int calls = smoke ? 2 : args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int shards = !smoke && args.length > 2 ? Integer.parseInt(args[2]) : ExperimentLimits.DEFAULT_AGGREGATE_SHARDS;
        if (sizes.stream().anyMatch(s -> s < 1 || s > 2_000_000) || calls < 1 || calls > 1_000
                || !ExperimentLimits.AGGREGATE_SHARD_COUNTS.contains(shards)) {
            System.err.println("usage: SegmentedResults [--smoke | SIZES (comma-separated, each 1..2000000) [CALLS 1..1000 [SHARDS "
                    + ExperimentLimits.AGGREGATE_SHARD_COUNTS + "]]]");
            System.exit(2);
        }
        PrintStream out = System.out;
        out.println("# Results with CUPED and 3 dimensions" + (smoke ? " (smoke run)" : ""));
        out.println("Machine: " + Machine.describe() + "; load average at start " + Machine.loadAverage());
        try (DynamoDbLocal dynamoDb = DynamoDbLocal.startInMemory()) {
            run(new Bench(dynamoDb.endpoint()), sizes, calls, shards, out);
        }
        out.println("Load average at end " + Machine.loadAverage());
    }

    /** The benchmark experiment with the three dimensions declared, its sums over {@code shards} aggregate partitions. */
    private static String definition(int shards) {
        ObjectNode definition = (ObjectNode) Json.parseTrusted(BenchDefinitions.withAggregateShards(BenchDefinitions.FOUR_BY_FIVE, shards));
        definition.put("key", "checkout-segments");
        DIMENSIONS.forEach(definition.putArray("dimensions")::add);
        return Json.write(definition);
    }

    private static void run(Bench bench, List<Long> sizes, int calls, int shards, PrintStream out) {
        TableNames tables = bench.freshTables("segments");
        Clock clock = Clock.systemUTC();
        String json = definition(shards);
        BenchDefinitions.createRunning(bench.client(), tables, clock, List.of(json));
        ExperimentSpec spec = BenchDefinitions.spec(json);
        DynamoDbDefinitionStore definitions = new DynamoDbDefinitionStore(bench.client(), tables.definitions());
        StreamAggregator aggregator = new StreamAggregator(new DynamoDbStreamFoldStore(bench.client(), tables),
                new DefinitionTargets(new DefinitionCache(definitions, Settings.DEFINITION_CACHE_TTL, clock)));
        Stream stream = new Stream(spec.key(), clock.instant());
        Traffic traffic = new Traffic(spec, clock.instant(), SEED);
        DynamoDbAggregateReader reader = new DynamoDbAggregateReader(bench.client(), tables.aggregates());
        ResultsService memoised = new ResultsService(definitions, reader, clock);
        CapacityMeter meter = new CapacityMeter();
        DynamoDbClient metered = bench.client(meter);
        DynamoDbDefinitionStore meteredDefinitions = new DynamoDbDefinitionStore(metered, tables.definitions());
        DynamoDbAggregateReader meteredReader = new DynamoDbAggregateReader(metered, tables.aggregates());
        String key = spec.key();
        String scope = IngestTarget.EXPERIMENT_SCOPE;

        DynamoDbSegmentRollups rollups = new DynamoDbSegmentRollups(bench.client(), tables.aggregates(), reader);
        ResultsService rolledUp = new ResultsService(definitions, reader, rollups, Settings.SEGMENT_ROLLUP_MAX_AGE, clock);
        StringBuilder rollupTable = new StringBuilder("| events | fresh roll-up, after a new event p50 ms | p95"
                + " | the same, body written from the tree p50 ms | p95 | of those calls, recomputed"
                + " | recomputing call p50 ms | p95 | fresh call: requests | read units | recomputing call: requests | read units | write units"
                + " | roll-up body bytes | item bytes | segments equal to live |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        out.println();
        out.println("| events | units | segments | load s | results after new events p50 ms | p95 | results, nothing changed p50 | p95"
                + " | " + shards + " whole-experiment queries | 16 segment queries | statistics without segments | with segments"
                + " | of which the segments' Bayesian view | response JSON | the same, segments' text reused | proxy response around it"
                + " | response KiB | requests per call | read units per call | segment mean comparisons with CUPED |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        ExecutorService folds = Executors.newFixedThreadPool(FOLD_THREADS, r -> {
            Thread t = new Thread(r, "fold");
            t.setDaemon(true);
            return t;
        });
        try {
            for (long size : sizes) {
                long start = System.nanoTime();
                while (traffic.sent() < size) {
                    stream.add(traffic.next());
                }
                stream.foldAll(aggregator, folds);
                double loadSeconds = (System.nanoTime() - start) / 1e9;

                List<VariantAggregates> data = StoredArms.of(spec, reader.read(key, scope, shards));
                List<SegmentAggregates> segments = new ArrayList<>();
                reader.segments(key, scope).forEach(s -> segments.add(new SegmentAggregates(s.dimension(), s.value(),
                        StoredArms.of(spec, s.variants()))));
                String cuped = check(spec, data, segments, memoised.results(key));
                Instant now = clock.instant();
                ExperimentResults computed = ResultsCalculator.compute(spec, ExperimentStatus.RUNNING, data, segments, now);
                String body = Json.write(ResultsJson.toJson(computed));
                SegmentsJson segmentsJson = new SegmentsJson();
                if (!body.equals(Json.write(ResultsJson.toJson(computed, segmentsJson)))) {
                    throw new IllegalStateException("the body with the segments' text spliced in differs from the tree's");
                }
                meter.reset();
                new ResultsService(meteredDefinitions, meteredReader, clock).results(key);
                double[] read = meter.byOperation().values().stream()
                        .reduce(new double[2], (sum, op) -> new double[] {sum[0] + op[0], sum[1] + op[1]});

                Map<String, Supplier<?>> phases = new LinkedHashMap<>();
                // a new service each call: its memo is empty, as after any event counted since the last call
                phases.put("changed", () -> Json.write(ResultsJson.toJson(new ResultsService(definitions, reader, clock).results(key))));
                phases.put("unchanged", () -> Json.write(ResultsJson.toJson(memoised.results(key))));
                phases.put("whole", () -> reader.read(key, scope, shards));
                phases.put("segments", () -> reader.segments(key, scope));
                phases.put("statistics", () -> ResultsCalculator.compute(spec, ExperimentStatus.RUNNING, data, now));
                phases.put("withSegments", () -> ResultsCalculator.compute(spec, ExperimentStatus.RUNNING, data, segments, now));
                phases.put("bayes", () -> bayesian(spec, segments));
                phases.put("json", () -> Json.write(ResultsJson.toJson(computed)));
                // the handler's: the segments' text written once (above) for these segment results, spliced in
                phases.put("jsonReused", () -> Json.write(ResultsJson.toJson(computed, segmentsJson)));
                // then the Lambda entry point writes the body as one JSON string of its proxy response (ApiHandler)
                phases.put("envelope", () -> envelope(body));
                List<String> names = new ArrayList<>(phases.keySet());
                for (int i = 0; i < WARMUP_CALLS; i++) {
                    phases.values().forEach(Supplier::get);
                }
                long[][] nanos = new long[names.size()][calls];
                for (int call = 0; call < calls; call++) {
                    for (int k = 0; k < names.size(); k++) {
                        int p = (k + call) % names.size(); // rotate who goes first
                        long t0 = System.nanoTime();
                        phases.get(names.get(p)).get();
                        nanos[p][call] = System.nanoTime() - t0;
                    }
                }
                long units = data.stream().mapToLong(VariantAggregates::units).sum();
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %d | %d | %d | %.1f", traffic.sent(), units,
                        segments.size(), loadSeconds));
                for (int p = 0; p < names.size(); p++) {
                    Latencies l = Latencies.of(nanos[p]);
                    row.append(" | ").append(Latencies.ms(l.median()));
                    if (p < 2) {
                        row.append(" | ").append(Latencies.ms(l.percentile(0.95)));
                    }
                }
                row.append(String.format(Locale.ROOT, " | %.0f | %.0f | %.0f | %s |", body.length() / 1024.0, read[0], read[1], cuped));
                out.println(row);
                out.flush();
                rollupTable.append(rollupRow(bench, tables, key, stream, traffic, aggregator, folds, rolledUp, meter, calls)).append('\n');
            }
        } finally {
            folds.shutdownNow();
        }
        out.println();
        out.println("Each column after the p95s is a p50 in ms over the same calls, all timed in turns.");
        out.println();
        out.println("Segment roll-up (the results function's call; the roll-up's bound " + Settings.SEGMENT_ROLLUP_MAX_AGE.toSeconds() + " s):");
        out.println();
        out.println(rollupTable);
        bench.drop(tables);
    }

    /**
     * One row of the roll-up table at the current size: the fresh call (after {@link #WARMUP_CALLS} calls that store the
     * roll-up and warm the memo), each after one new event folded untimed; the recomputing call; their requests and
     * units; the stored item's size; and whether the segments shown equal those of the live call.
     */
    private static String rollupRow(Bench bench, TableNames tables, String key, Stream stream, Traffic traffic,
                                    StreamAggregator aggregator, ExecutorService folds, ResultsService rolledUp, CapacityMeter meter, int calls) {
        Clock clock = Clock.systemUTC();
        DynamoDbDefinitionStore definitions = new DynamoDbDefinitionStore(bench.client(), tables.definitions());
        DynamoDbAggregateReader reader = new DynamoDbAggregateReader(bench.client(), tables.aggregates());
        DynamoDbSegmentRollups rollups = new DynamoDbSegmentRollups(bench.client(), tables.aggregates(), reader);
        // a bound of zero: every call finds the roll-up too old and recomputes it
        Supplier<ResultsService> recomputing = () -> new ResultsService(definitions, reader, rollups, Duration.ZERO, clock);
        // the results function's: the segments' JSON written once per memoised segment results, spliced into each body
        SegmentsJson segmentsJson = new SegmentsJson();
        for (int i = 0; i < WARMUP_CALLS; i++) {
            Json.write(ResultsJson.toJson(recomputing.get().results(key), segmentsJson));
            Json.write(ResultsJson.toJson(rolledUp.results(key), segmentsJson));
        }
        ExperimentResults live = new ResultsService(definitions, reader, clock).results(key);
        boolean equal = live.segments().equals(recomputing.get().results(key).segments());
        long[] fresh = new long[calls];
        long[] freshFromTree = new long[calls]; // the same call writing the whole body from the tree, as before SegmentsJson
        Set<Instant> shownAt = new HashSet<>();
        for (int call = 0; call < calls; call++) {
            for (int turn = 0; turn < 2; turn++) {
                boolean reused = (turn + call) % 2 == 0; // rotate who goes first
                stream.add(traffic.next());
                stream.foldAll(aggregator, folds);
                long t0 = System.nanoTime();
                ExperimentResults r = rolledUp.results(key);
                Json.write(reused ? ResultsJson.toJson(r, segmentsJson) : ResultsJson.toJson(r));
                (reused ? fresh : freshFromTree)[call] = System.nanoTime() - t0;
                shownAt.add(r.segmentsComputedAt());
            }
        }
        long[] recompute = new long[calls];
        for (int call = 0; call < calls; call++) {
            long t0 = System.nanoTime();
            Json.write(ResultsJson.toJson(recomputing.get().results(key), segmentsJson));
            recompute[call] = System.nanoTime() - t0;
        }
        DynamoDbClient metered = bench.client(meter);
        DynamoDbDefinitionStore meteredDefinitions = new DynamoDbDefinitionStore(metered, tables.definitions());
        DynamoDbAggregateReader meteredReader = new DynamoDbAggregateReader(metered, tables.aggregates());
        DynamoDbSegmentRollups meteredRollups = new DynamoDbSegmentRollups(metered, tables.aggregates(), meteredReader);
        meter.reset();
        ExperimentResults shown = new ResultsService(meteredDefinitions, meteredReader, meteredRollups, Settings.SEGMENT_ROLLUP_MAX_AGE,
                clock).results(key);
        // no event since the last recomputing call stored the roll-up: the fresh one shows exactly the live segments
        equal &= shown.segments().equals(new ResultsService(definitions, reader, clock).results(key).segments());
        Map<String, double[]> freshOps = meter.byOperation();
        meter.reset();
        new ResultsService(meteredDefinitions, meteredReader, meteredRollups, Duration.ZERO, clock).results(key);
        Map<String, double[]> recomputeOps = meter.byOperation();
        Map<String, AttributeValue> item = bench.client().getItem(b -> b.tableName(tables.aggregates()).key(Map.of(
                AggregateTable.PK, AttributeValue.fromS(SegmentTable.rollupPk(key, IngestTarget.EXPERIMENT_SCOPE)),
                AggregateTable.SK, AttributeValue.fromS(SegmentTable.ROLLUP_SK)))).item();
        Latencies f = Latencies.of(fresh);
        Latencies t = Latencies.of(freshFromTree);
        Latencies c = Latencies.of(recompute);
        return String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %d of %d | %s | %s | %s | %.1f | %s | %.1f | %.1f | %d | %d | %s |",
                traffic.sent(), Latencies.ms(f.median()), Latencies.ms(f.percentile(0.95)), Latencies.ms(t.median()),
                Latencies.ms(t.percentile(0.95)), shownAt.size() - 1, 2 * calls,
                Latencies.ms(c.median()), Latencies.ms(c.percentile(0.95)), requests(freshOps), units(freshOps, "Query", "GetItem"),
                requests(recomputeOps), units(recomputeOps, "Query", "GetItem"), units(recomputeOps, "PutItem"),
                item.get("body").b().asByteArrayUnsafe().length, ItemSize.bytes(item), equal ? "yes" : "NO");
    }

    /** The proxy response's bytes as {@code ApiHandler} writes them for Lambda: the body one escaped JSON string. */
    private static int envelope(String body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length() + body.length() / 4);
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(bytes)) {
            json.writeStartObject();
            json.writeNumberField("statusCode", 200);
            json.writeStringField("body", body);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.size();
    }

    /** "16 Query + 2 GetItem": the requests of one call by operation. */
    private static String requests(Map<String, double[]> ops) {
        List<String> parts = new ArrayList<>();
        ops.forEach((op, v) -> parts.add(String.format(Locale.ROOT, "%.0f %s", v[0], op)));
        return String.join(" + ", parts);
    }

    /** The units DynamoDB Local reported for the named operations. */
    private static double units(Map<String, double[]> ops, String... names) {
        double sum = 0;
        for (String name : names) {
            sum += ops.getOrDefault(name, new double[3])[1];
        }
        return sum;
    }

    /**
     * Fails the run unless every dimension's segments add up to the whole experiment, the results show every stored
     * segment, every mean comparison of the whole experiment has a CUPED estimate and some segment comparisons have one
     * (a segment arm whose units brought no covariate has none).
     *
     * @return how many of the segments' mean comparisons have a CUPED estimate, "k of n"
     */
    private static String check(ExperimentSpec spec, List<VariantAggregates> whole, List<SegmentAggregates> segments,
                              ExperimentResults results) {
        Map<String, VariantAggregates> expected = new TreeMap<>();
        whole.stream().filter(v -> v.units() > 0).forEach(v -> expected.put(v.variant(), v));
        for (String dimension : DIMENSIONS) {
            Map<String, VariantAggregates> summed = new TreeMap<>();
            segments.stream().filter(s -> s.dimension().equals(dimension)).flatMap(s -> s.variants().stream())
                    .filter(v -> v.units() > 0).forEach(v -> summed.merge(v.variant(), v, SegmentedResults::plus));
            if (!GroundTruth.sameNumbers(expected, summed)) {
                throw new IllegalStateException("the segments of " + dimension + " do not add up to the whole experiment");
            }
        }
        if (results.segments().size() != segments.size() || segments.isEmpty()) {
            throw new IllegalStateException("results have " + results.segments().size() + " segments, stored " + segments.size());
        }
        results.comparisons().stream().filter(c -> c.type() == MetricType.MEAN && c.cuped() == null).findFirst().ifPresent(c -> {
            throw new IllegalStateException("no CUPED estimate for " + c.variant() + " / " + c.metric());
        });
        List<ExperimentResults.Comparison> means = results.segments().stream().flatMap(s -> s.comparisons().stream())
                .filter(c -> c.type() == MetricType.MEAN).toList();
        long withCuped = means.stream().filter(c -> c.cuped() != null).count();
        if (withCuped == 0) {
            throw new IllegalStateException("no segment comparison has a CUPED estimate");
        }
        return String.format(Locale.ROOT, "%d of %d", withCuped, means.size());
    }

    /**
     * The Bayesian view of every segment comparison, as the statistics compute it (each treatment against control on
     * each conversion and mean metric): the share of the segments' statistics it takes. Returns the probabilities'
     * sum, so that the work cannot be dropped as unused.
     */
    private static double bayesian(ExperimentSpec spec, List<SegmentAggregates> segments) {
        double sum = 0;
        for (SegmentAggregates s : segments) {
            VariantAggregates control = s.variants().stream().filter(v -> v.variant().equals(spec.control())).findFirst().orElseThrow();
            for (VariantAggregates treatment : s.variants()) {
                if (treatment == control) {
                    continue;
                }
                for (Metric m : spec.metrics()) {
                    BayesianComparison.Result r = m.type() == MetricType.CONVERSION
                            ? BayesianComparison.proportions(control.metric(m.key()).proportion(control.units()),
                                    treatment.metric(m.key()).proportion(treatment.units()), m.direction())
                            : BayesianComparison.means(control.metric(m.key()).mean(control.units()),
                                    treatment.metric(m.key()).mean(treatment.units()), m.direction());
                    sum += r == null ? 0 : r.probabilityToBeatControl();
                }
            }
        }
        return sum;
    }

    private static VariantAggregates plus(VariantAggregates a, VariantAggregates b) {
        Map<String, MetricAggregate> metrics = new HashMap<>(a.metrics());
        b.metrics().forEach((metric, m) -> metrics.merge(metric, m, MetricAggregate::plus));
        return new VariantAggregates(a.variant(), a.units() + b.units(), metrics);
    }

    /**
     * The events table's stream as this run plays it: each event stored as {@code POST /events} stores it and read
     * back from its image, on the stream shard of its unit (one per aggregate partition), numbered in order.
     */
    private static final class Stream {
        private static final String[] COUNTRIES = {"US", "DE", "GB", "FR", "IN", "BR", "CA", "JP", "ES", "IT", "NL", "SE",
            "PL", "MX", "AU", "KR", "TR", "AR", "BE", "CH", "AT", "DK", "NO", "FI", "PT"};
        private static final String[] PLATFORMS = {"ios", "android", "web"};
        private static final int VERSIONS = 22;

        private final String key;
        private final Instant receivedAt;
        private final long expiresAt;
        private final List<String> shardIds = new ArrayList<>();
        private final List<List<StreamRecord>> pending = new ArrayList<>();
        private final long[] sequences = new long[Shards.COUNT];

        Stream(String key, Instant receivedAt) {
            this.key = key;
            this.receivedAt = receivedAt;
            this.expiresAt = receivedAt.plus(Settings.EVENT_RETENTION).getEpochSecond();
            // stream shard ids whose aggregate partitions (Shards.of the id) are 0..15, one each
            String[] byPartition = new String[Shards.COUNT];
            for (int i = 0, found = 0; found < Shards.COUNT; i++) {
                String id = String.format(Locale.ROOT, "shardId-00000001764600000000-%08d", i);
                if (byPartition[Shards.of(id)] == null) {
                    byPartition[Shards.of(id)] = id;
                    found++;
                }
            }
            for (String id : byPartition) {
                shardIds.add(id);
                pending.add(new ArrayList<>());
            }
        }

        void add(Traffic.Event e) {
            IngestEvent event = e.isExposure()
                    ? new IngestEvent(0, e.eventId(), key, e.unitId(), EventType.EXPOSURE, null, BigDecimal.ZERO, e.timestamp(), false,
                    covariates(e.unitId()), attributes(e.unitId()))
                    : new IngestEvent(0, e.eventId(), key, e.unitId(), EventType.METRIC, e.metric(), e.value(), e.timestamp(), false, Map.of());
            int shard = Shards.of(e.unitId());
            IngestEvent delivered = StoredEvents.fromImage(
                    DynamoDbRawEventStore.item(new RawEvent(event, event.attributes()), receivedAt, expiresAt));
            pending.get(shard).add(new StreamRecord(BigInteger.valueOf(++sequences[shard]), delivered));
        }

        /** Folds every shard's pending records, in batches of at most {@link #FOLD_BATCH}, one thread per shard at a time. */
        void foldAll(StreamAggregator aggregator, ExecutorService pool) {
            List<Future<?>> folds = new ArrayList<>();
            for (int i = 0; i < shardIds.size(); i++) {
                String shardId = shardIds.get(i);
                List<StreamRecord> records = List.copyOf(pending.get(i));
                pending.get(i).clear();
                folds.add(pool.submit(() -> {
                    for (int from = 0; from < records.size(); from += FOLD_BATCH) {
                        aggregator.apply(shardId, records.subList(from, Math.min(records.size(), from + FOLD_BATCH)));
                    }
                }));
            }
            try {
                for (Future<?> f : folds) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while folding", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("the fold failed", e.getCause());
            }
        }

        /** A unit's attributes at exposure, fixed by its id: skewed country and version, 5 % without a platform. */
        private static Map<String, String> attributes(String unitId) {
            SplittableRandom r = new SplittableRandom(unitId.hashCode());
            Map<String, String> attributes = new HashMap<>();
            attributes.put("country", COUNTRIES[skewed(r, COUNTRIES.length)]);
            attributes.put("appVersion", "2." + skewed(r, VERSIONS) + ".0");
            if (r.nextDouble() >= 0.05) {
                attributes.put("platform", PLATFORMS[r.nextInt(PLATFORMS.length)]);
            }
            return attributes;
        }

        /** A unit's pre-exposure totals of the two mean metrics, fixed by its id (zeros left out, as ingest keeps them). */
        private static Map<String, BigDecimal> covariates(String unitId) {
            SplittableRandom r = new SplittableRandom(unitId.hashCode() * 31L + 7);
            Map<String, BigDecimal> covariates = new HashMap<>();
            BigDecimal revenue = BigDecimal.valueOf(r.nextInt(40_000), 2).stripTrailingZeros();
            BigDecimal items = BigDecimal.valueOf(r.nextInt(12));
            if (revenue.signum() != 0) {
                covariates.put("revenue", revenue);
            }
            if (items.signum() != 0) {
                covariates.put("items", items);
            }
            return covariates;
        }

        /** 0..n−1, the lower indices more likely (the square of a uniform): the first values claim the slots first. */
        private static int skewed(SplittableRandom r, int n) {
            double u = r.nextDouble();
            return (int) (u * u * n);
        }
    }
}
