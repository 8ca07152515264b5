package io.splitline.bench.harness;

import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.bench.BenchDefinitions;
import io.splitline.bench.Machine;
import io.splitline.definitions.DefinitionCache;
import io.splitline.definitions.DefinitionTargets;
import io.splitline.devkit.DynamoDbLocal;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.Metric;
import io.splitline.experiment.MetricType;
import io.splitline.ingest.DynamoDbIngestStore;
import io.splitline.ingest.EventBatch;
import io.splitline.ingest.IngestContentionException;
import io.splitline.ingest.IngestEvent;
import io.splitline.ingest.IngestResult;
import io.splitline.ingest.IngestResultJson;
import io.splitline.ingest.IngestService;
import io.splitline.ingest.IngestStore;
import io.splitline.ingest.IngestTarget;
import io.splitline.ingest.StreamAggregator;
import io.splitline.json.Json;
import io.splitline.settings.Settings;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Issue 13's ingest cost and scale figures, on DynamoDB Local in this JVM (loopback only), through the
 * real {@link IngestService}:
 * <ol>
 *   <li><b>write units per event</b>: every request carries {@code ReturnConsumedCapacity = TOTAL}
 *       ({@link CapacityMeter}) and the consumed write and read units are divided by the events sent, at
 *       each batch size with 1 and with 10 events per unit per batch (metric events of already exposed
 *       units, the steady state), and for batches of first exposures;</li>
 *   <li><b>events/s and conflict rate against concurrency</b>: 1, 4, 16 clients in threads, released
 *       together, each sending its own units' events to the same experiment.</li>
 * </ol>
 * Both again for design B of docs/ingest-v2.md ({@link StreamIngest}): raw conditional puts and the stream
 * fold, the fold's reads and writes metered the same way.
 * Every run is bounded (event and batch counts) and ends with the stored aggregates compared with a
 * plain-Java ground truth of the events sent; a difference fails the run.
 *
 * With {@code --fold-rate} (and only then: it is the longest part, and CI's smoke run proves the rest) the fold's own
 * rate is measured: events/s folded on one stream shard in batches of 1 000 (the mapping's {@code BatchSize}), with
 * its writes one after another and {@link StreamAggregator#WRITES_IN_FLIGHT} in flight.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.splitline.bench.harness.IngestCostBench [--smoke] [--design-b | --fold-rate]</pre>
 */
public final class IngestCostBench {
    /** DynamoDB on-demand list prices, us-east-1, USD per million request units (since 2024-11-01). */
    static final double WRITE_PRICE = 0.625;
    static final double READ_PRICE = 0.125;
    private static final Duration RETENTION = Settings.EVENT_RETENTION;

    private final Bench bench;
    private final PrintStream out;
    private final int eventsPerRow;
    private final int batchesPerClient;
    private final int foldRateEvents;

    private IngestCostBench(Bench bench, PrintStream out, boolean smoke) {
        this.bench = bench;
        this.out = out;
        this.eventsPerRow = smoke ? 200 : 2_000;
        this.batchesPerClient = smoke ? 4 : 20;
        this.foldRateEvents = smoke ? 1_000 : 5_000;
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("splitline.logLevel") == null) {
            System.setProperty("splitline.logLevel", "WARN");
        }
        boolean smoke = List.of(args).contains("--smoke");
        PrintStream out = System.out;
        out.println("# Ingest cost and concurrency" + (smoke ? " (smoke run)" : ""));
        out.println();
        out.println("Machine: " + Machine.describe());
        out.println();
        try (DynamoDbLocal dynamoDb = DynamoDbLocal.startInMemory()) {
            IngestCostBench run = new IngestCostBench(new Bench(dynamoDb.endpoint()), out, smoke);
            if (List.of(args).contains("--fold-rate")) { // --fold-rate: the fold's events/s alone
                run.foldRate();
            } else {
                if (!List.of(args).contains("--design-b")) { // --design-b: the stream design's tables only
                    run.capacity();
                    run.concurrency(List.of(1, 4, 16), 25, false);
                    run.concurrency(List.of(1, 4, 16), 25, true);
                }
                run.streamCapacity();
                run.streamConcurrency(List.of(1, 4, 16), 25);
            }
        }
        out.println("Load average now " + Machine.loadAverage() + ".");
    }

    private void capacity() {
        out.println("## Consumed capacity per event (ReturnConsumedCapacity = TOTAL)");
        out.println();
        out.println("| events | batch size | events per unit per batch | events sent | WCU/event by rule | RCU/event by rule | WCU/event as Local reports | transactions/event | USD per 10⁶ events (on demand, by rule) |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int batch : new int[] {1, 25, 500}) {
            for (int perUnit : new int[] {1, 10}) {
                if (perUnit > batch) {
                    continue; // one event per batch is one event per unit
                }
                capacityRow(batch, perUnit, false);
            }
            capacityRow(batch, 1, true);
        }
        out.println();
    }

    private void capacityRow(int batchSize, int perUnit, boolean exposures) {
        Setup s = new Setup("cost");
        int events = batchSize == 1 ? Math.min(eventsPerRow, 300) : eventsPerRow;
        List<String> units = new ArrayList<>();
        List<List<Traffic.Event>> batches = capacityBatches(s, events, batchSize, perUnit, exposures, units);
        if (!exposures) { // the units' first exposures, not metered: the rows measure the steady state
            List<Traffic.Event> all = units.stream().map(IngestCostBench::exposure).toList();
            for (int from = 0; from < all.size(); from += EventBatch.MAX_EVENTS) {
                List<Traffic.Event> part = all.subList(from, Math.min(all.size(), from + EventBatch.MAX_EVENTS));
                s.send(s.service, part);
                s.recorded(part);
            }
        }
        s.meter.reset();
        long sent = 0;
        for (List<Traffic.Event> batch : batches) {
            IngestResult r = s.send(s.service, batch);
            if (r.accepted() != batch.size()) {
                throw new IllegalStateException("batch not fully accepted: " + IngestResultJson.toJson(r));
            }
            s.recorded(batch);
            sent += batch.size();
        }
        double wcu = s.meter.ruleWriteUnits() / sent;
        double rcu = s.meter.ruleReadUnits() / sent;
        out.printf(Locale.ROOT, "| %s | %d | %s | %d | %.3f | %.3f | %.3f | %.3f | %.2f |%n", exposures ? "first exposures" : "metric",
                batchSize, exposures ? "1" : Integer.toString(perUnit), sent, wcu, rcu, s.meter.writeUnits() / sent,
                (double) s.meter.committed() / sent, wcu * WRITE_PRICE + rcu * READ_PRICE);
        s.check();
    }

    private void concurrency(List<Integer> clientCounts, int batchSize, boolean conflictRule) throws Exception {
        out.println("## Events/s and transaction conflicts against concurrent clients (one experiment)"
                + (conflictRule ? ", with DynamoDB's conflict rule" : ", DynamoDB Local as it is"));
        out.println();
        if (conflictRule) {
            out.println("DynamoDB Local runs transactions one at a time and reports no conflict; here a transaction naming an"
                    + " item that another in-flight transaction names is cancelled with TransactionConflict, as DynamoDB does"
                    + " (TransactionConflicts).");
            out.println();
        }
        out.printf(Locale.ROOT, "Each client: its own 30 exposed units, %d batches of %d metric events (10 per unit per batch).%n%n",
                batchesPerClient, batchSize);
        out.println("| clients | events | elapsed s | events/s | transactions committed | cancelled | cancelled / attempted | cancellation reasons | 503 answers | WCU/event by rule |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|");
        for (int clients : clientCounts) {
            concurrencyRow(clients, batchSize, conflictRule);
        }
        out.println();
    }

    private void concurrencyRow(int clients, int batchSize, boolean conflictRule) throws Exception {
        Setup s = conflictRule ? new Setup("scale", new TransactionConflicts()) : new Setup("scale");
        List<Traffic.Event> exposures = new ArrayList<>();
        List<List<List<Traffic.Event>>> perClient = clientBatches(s, clients, batchSize, exposures);
        for (int from = 0; from < exposures.size(); from += EventBatch.MAX_EVENTS) {
            List<Traffic.Event> part = exposures.subList(from, Math.min(exposures.size(), from + EventBatch.MAX_EVENTS));
            s.send(s.service, part);
            s.recorded(part);
        }
        s.meter.reset();
        CyclicBarrier start = new CyclicBarrier(clients + 1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<Integer>> contended = new ArrayList<>();
        for (List<List<Traffic.Event>> batches : perClient) {
            // One service per client, as each Lambda container has its own.
            IngestService service = s.newService();
            contended.add(pool.submit(() -> {
                start.await();
                int unavailable = 0;
                for (List<Traffic.Event> batch : batches) {
                    unavailable += sendUntilRecorded(s, service, batch);
                }
                return unavailable;
            }));
        }
        start.await();
        long t0 = System.nanoTime();
        int unavailable = 0;
        for (Future<Integer> f : contended) {
            unavailable += f.get();
        }
        long elapsed = System.nanoTime() - t0;
        pool.shutdown();
        long events = (long) clients * batchesPerClient * batchSize;
        long attempted = s.meter.committed() + s.meter.cancelled();
        out.printf(Locale.ROOT, "| %d | %d | %.1f | %.0f | %d | %d | %.1f %% | %s | %d | %.3f |%n", clients, events, elapsed / 1e9,
                events / (elapsed / 1e9), s.meter.committed(), s.meter.cancelled(), 100.0 * s.meter.cancelled() / attempted,
                s.meter.reasons().isEmpty() ? "–" : s.meter.reasons().toString(), unavailable, s.meter.ruleWriteUnits() / events);
        s.check();
    }

    private static final int STREAM_SHARDS = 4;

    private void streamCapacity() {
        out.println("## Design B: raw conditional puts + the stream fold, consumed capacity per event");
        out.println();
        out.println("Each event one conditional PutItem; the new items folded by StreamAggregator over DynamoDbStreamFoldStore"
                + " (unit puts, the shard's decided point, aggregate updates), in stream batches of the API batch (each request"
                + " alone in its stream batch: the lightest traffic) or of 1 000 records (a busy stream).");
        out.println();
        out.println("| events | API batch | events per unit per batch | stream batch folded | events sent | WCU/event by rule | of which raw puts | RCU/event by rule | USD per 10⁶ events (on demand, by rule) |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int batch : new int[] {1, 25, 500}) {
            for (int perUnit : new int[] {1, 10}) {
                if (perUnit <= batch) {
                    streamCapacityRow(batch, perUnit, batch, false);
                }
            }
            streamCapacityRow(batch, 1, batch, true);
        }
        streamCapacityRow(25, 1, 1000, false);
        streamCapacityRow(25, 10, 1000, false);
        if (eventsPerRow >= 1000) { // the deployed fold batch (BatchSize 1 000) under API batches of 500
            streamCapacityRow(500, 1, 1000, false);
            streamCapacityRow(500, 10, 1000, false);
        }
        out.println();
    }

    private void foldRate() {
        out.println("## Design B: the fold's events/s on one stream shard, writes one after another and in flight together");
        out.println();
        out.printf(Locale.ROOT, "%d metric events of exposed units stored (API batches of 500), then folded by one StreamAggregator"
                + " in stream batches of 1 000; elapsed is the fold's alone. Rows alternate between the two settings.%n%n", foldRateEvents);
        out.println("| events per unit per batch | writes in flight | events folded | fold batches | elapsed s | events/s folded | ms per batch | requests per batch | WCU/event by rule (raw put + fold) |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int perUnit : new int[] {1, 10}) {
            for (int round = 0; round < 2; round++) {
                foldRateRow(perUnit, 1);
                foldRateRow(perUnit, StreamAggregator.WRITES_IN_FLIGHT);
            }
        }
        out.println();
    }

    private void foldRateRow(int perUnit, int writesInFlight) {
        Setup s = new Setup("fold-rate");
        StreamIngest ingest = new StreamIngest(s.client, s.tables, s.targets(), 1, s.clock.instant(), writesInFlight);
        List<String> units = new ArrayList<>();
        List<List<Traffic.Event>> batches = capacityBatches(s, foldRateEvents, 500, perUnit, false, units);
        exposeAndFold(s, ingest, units);
        s.meter.reset();
        for (List<Traffic.Event> batch : batches) {
            ingest.put(s.parsed(batch), s.clock.instant());
            s.recorded(batch);
        }
        double requestsBefore = requests(s.meter);
        long t0 = System.nanoTime();
        int folds = ingest.foldAll(1000);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "| %d | %d | %d | %d | %.1f | %.0f | %.0f | %.0f | %.3f |%n", perUnit, writesInFlight, foldRateEvents, folds,
                elapsed, foldRateEvents / elapsed, 1000 * elapsed / folds, (requests(s.meter) - requestsBefore) / folds,
                s.meter.ruleWriteUnits() / foldRateEvents);
        s.check();
    }

    /** The units' first exposures, stored and folded (before a row's metering starts). */
    private static void exposeAndFold(Setup s, StreamIngest ingest, List<String> units) {
        List<Traffic.Event> all = units.stream().map(IngestCostBench::exposure).toList();
        for (int from = 0; from < all.size(); from += EventBatch.MAX_EVENTS) {
            List<Traffic.Event> part = all.subList(from, Math.min(all.size(), from + EventBatch.MAX_EVENTS));
            ingest.put(s.parsed(part), s.clock.instant());
            s.recorded(part);
        }
        ingest.foldAll(1000);
    }

    /** Requests the meter has seen, every operation. */
    private static double requests(CapacityMeter meter) {
        return meter.byOperation().values().stream().mapToDouble(v -> v[0]).sum();
    }

    private void streamCapacityRow(int batchSize, int perUnit, int foldBatch, boolean exposures) {
        Setup s = new Setup("stream-cost");
        StreamIngest ingest = new StreamIngest(s.client, s.tables, s.targets(), 1, s.clock.instant());
        int events = batchSize == 1 ? Math.min(eventsPerRow, 300) : eventsPerRow;
        List<String> units = new ArrayList<>();
        List<List<Traffic.Event>> batches = capacityBatches(s, events, batchSize, perUnit, exposures, units);
        if (!exposures) { // the units' first exposures, not metered: the rows measure the steady state
            exposeAndFold(s, ingest, units);
        }
        s.meter.reset();
        long sent = 0;
        long folds = 0;
        long putUnits = 0;
        for (List<Traffic.Event> batch : batches) {
            double before = s.meter.ruleWriteUnits();
            if (ingest.put(s.parsed(batch), s.clock.instant()) != 0) {
                throw new IllegalStateException("a new event was answered as a duplicate");
            }
            putUnits += Math.round(s.meter.ruleWriteUnits() - before);
            s.recorded(batch);
            sent += batch.size();
            if (sent % foldBatch == 0 || sent == events) {
                folds += ingest.foldAll(foldBatch);
            }
        }
        double wcu = s.meter.ruleWriteUnits() / sent;
        double rcu = (s.meter.ruleReadUnits() + folds) / sent; // + the decided point's GetItem per folded batch
        out.printf(Locale.ROOT, "| %s | %d | %s | %d | %d | %.3f | %.3f | %.3f | %.2f |%n", exposures ? "first exposures" : "metric",
                batchSize, exposures ? "1" : Integer.toString(perUnit), (int) Math.min(foldBatch, sent), sent, wcu,
                (double) putUnits / sent, rcu, wcu * WRITE_PRICE + rcu * READ_PRICE);
        s.check();
    }

    private void streamConcurrency(List<Integer> clientCounts, int batchSize) throws Exception {
        out.println("## Design B: events/s and conflicts against concurrent clients (one experiment)");
        out.println();
        out.printf(Locale.ROOT, "Each client: its own 30 exposed units, %d batches of %d metric events (10 per unit per batch), each"
                + " event a conditional PutItem; %d stream shards (units hashed to them), each folded by its own thread in"
                + " batches of up to 1 000 while the clients put. Elapsed: from the release to the last record folded.%n%n",
                batchesPerClient, batchSize, STREAM_SHARDS);
        out.println("| clients | events | elapsed s | events/s | put duplicates | fold batches | fold writes refused / attempted | WCU/event by rule |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int clients : clientCounts) {
            streamConcurrencyRow(clients, batchSize);
        }
        out.println();
    }

    private void streamConcurrencyRow(int clients, int batchSize) throws Exception {
        ConditionalWrites foldWrites = new ConditionalWrites("UnitsTable", "AggregatesTable");
        Setup s = new Setup("stream-scale", foldWrites);
        StreamIngest ingest = new StreamIngest(s.client, s.tables, s.targets(), STREAM_SHARDS, s.clock.instant());
        List<Traffic.Event> exposures = new ArrayList<>();
        List<List<List<Traffic.Event>>> perClient = clientBatches(s, clients, batchSize, exposures);
        for (int from = 0; from < exposures.size(); from += EventBatch.MAX_EVENTS) {
            List<Traffic.Event> part = exposures.subList(from, Math.min(exposures.size(), from + EventBatch.MAX_EVENTS));
            ingest.put(s.parsed(part), s.clock.instant());
            s.recorded(part);
        }
        ingest.foldAll(1000);
        s.meter.reset();
        long attemptedBefore = foldWrites.attempted();
        long refusedBefore = foldWrites.refused();
        CyclicBarrier start = new CyclicBarrier(clients + ingest.shardCount() + 1);
        ExecutorService pool = Executors.newFixedThreadPool(clients + ingest.shardCount());
        AtomicInteger putting = new AtomicInteger(clients);
        List<Future<Integer>> puts = new ArrayList<>();
        for (List<List<Traffic.Event>> batches : perClient) {
            puts.add(pool.submit(() -> {
                start.await();
                int duplicates = 0;
                for (List<Traffic.Event> batch : batches) {
                    duplicates += ingest.put(s.parsed(batch), s.clock.instant());
                    s.recorded(batch);
                }
                putting.decrementAndGet();
                return duplicates;
            }));
        }
        List<Future<Integer>> folds = new ArrayList<>();
        for (int shard = 0; shard < ingest.shardCount(); shard++) {
            int index = shard;
            folds.add(pool.submit(() -> {
                start.await();
                int batches = 0;
                while (true) {
                    boolean last = putting.get() == 0; // read before draining: nothing more can arrive after
                    int folded = ingest.foldShard(index, 1000);
                    batches += folded;
                    if (last && folded == 0) {
                        return batches;
                    }
                    if (folded == 0) {
                        Thread.sleep(5);
                    }
                }
            }));
        }
        start.await();
        long t0 = System.nanoTime();
        int duplicates = 0;
        for (Future<Integer> f : puts) {
            duplicates += f.get();
        }
        int foldBatches = 0;
        for (Future<Integer> f : folds) {
            foldBatches += f.get();
        }
        long elapsed = System.nanoTime() - t0;
        pool.shutdown();
        long events = (long) clients * batchesPerClient * batchSize;
        long attempted = foldWrites.attempted() - attemptedBefore;
        long refused = foldWrites.refused() - refusedBefore;
        out.printf(Locale.ROOT, "| %d | %d | %.1f | %.0f | %d | %d | %d / %d (%.1f %%) | %.3f |%n", clients, events, elapsed / 1e9,
                events / (elapsed / 1e9), duplicates, foldBatches, refused, attempted, 100.0 * refused / Math.max(1, attempted),
                s.meter.ruleWriteUnits() / events);
        s.check();
    }

    /** A row's batches: new units, {@code perUnit} events each per batch; the units' ids are added to {@code units}. */
    private static List<List<Traffic.Event>> capacityBatches(Setup s, int events, int batchSize, int perUnit, boolean exposures,
                                                             List<String> units) {
        SplittableRandom random = new SplittableRandom(batchSize * 31L + perUnit);
        List<List<Traffic.Event>> batches = new ArrayList<>();
        for (int sent = 0; sent < events; sent += batchSize) {
            List<Traffic.Event> batch = new ArrayList<>();
            while (batch.size() < batchSize) {
                String unit = "u-" + batchSize + "-" + perUnit + "-" + units.size();
                units.add(unit);
                for (int i = 0; i < perUnit && batch.size() < batchSize; i++) {
                    batch.add(exposures ? exposure(unit) : s.metricEvent(unit, i, random));
                }
            }
            batches.add(batch);
        }
        return batches;
    }

    /** Each client's batches: its own 30 units (whose exposures are added to {@code exposures}), 10 events per unit per batch. */
    private List<List<List<Traffic.Event>>> clientBatches(Setup s, int clients, int batchSize, List<Traffic.Event> exposures) {
        List<List<List<Traffic.Event>>> perClient = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            SplittableRandom random = new SplittableRandom(1000L * clients + c);
            List<String> units = new ArrayList<>();
            for (int u = 0; u < 30; u++) {
                units.add("c" + clients + "-" + c + "-" + u);
                exposures.add(exposure(units.get(u)));
            }
            List<List<Traffic.Event>> batches = new ArrayList<>();
            int next = 0;
            for (int b = 0; b < batchesPerClient; b++) {
                List<Traffic.Event> batch = new ArrayList<>();
                while (batch.size() < batchSize) {
                    String unit = units.get(next++ % units.size());
                    for (int i = 0; i < 10 && batch.size() < batchSize; i++) {
                        batch.add(s.metricEvent(unit, b * 100 + i, random));
                    }
                }
                batches.add(batch);
            }
            perClient.add(batches);
        }
        return perClient;
    }

    /** Sends a batch as a client does: re-sends it after a 503 until every event is recorded. */
    private static int sendUntilRecorded(Setup s, IngestService service, List<Traffic.Event> batch) throws InterruptedException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                IngestResult r = s.send(service, batch);
                if (r.accepted() + r.duplicates() != batch.size()) {
                    throw new IllegalStateException("batch not recorded: " + IngestResultJson.toJson(r));
                }
                s.recorded(batch);
                return attempt;
            } catch (IngestContentionException e) {
                Thread.sleep(50L + attempt * 20L);
            }
        }
        throw new IllegalStateException("batch not recorded after 20 attempts");
    }

    private static Traffic.Event exposure(String unit) {
        return new Traffic.Event(unit + "-x", unit, null, BigDecimal.ZERO, Instant.parse("2026-11-24T10:00:00Z"));
    }

    /** Fresh tables with the 4 × 5 experiment running, a metered client, and the ground truth of what was sent. */
    private final class Setup {
        final Clock clock = Clock.systemUTC();
        final TableNames tables;
        final CapacityMeter meter = new CapacityMeter();
        final DynamoDbClient client;
        final ExperimentSpec spec = BenchDefinitions.spec(BenchDefinitions.FOUR_BY_FIVE);
        final IngestService service;
        final GroundTruth truth;
        final Traffic traffic;

        Setup(String purpose, ExecutionInterceptor... more) {
            tables = bench.freshTables(purpose);
            BenchDefinitions.createRunning(bench.client(), tables, clock, List.of(BenchDefinitions.FOUR_BY_FIVE));
            List<ExecutionInterceptor> interceptors = new ArrayList<>(List.of(more));
            interceptors.add(meter); // last, so that it sees what the others answer
            client = bench.client(interceptors.toArray(ExecutionInterceptor[]::new));
            service = newService();
            truth = new GroundTruth(targets().find(spec.key()).orElseThrow());
            traffic = new Traffic(spec, clock.instant(), 1);
        }

        DefinitionTargets targets() {
            return new DefinitionTargets(new DefinitionCache(
                    new DynamoDbDefinitionStore(client, tables.definitions()), Settings.DEFINITION_CACHE_TTL, clock));
        }

        IngestService newService() {
            return new IngestService(new DynamoDbIngestStore(client, tables, RETENTION), targets(), datum -> { }, clock);
        }

        Traffic.Event metricEvent(String unit, int i, SplittableRandom random) {
            Metric metric = spec.metrics().get(random.nextInt(spec.metrics().size()));
            BigDecimal value = metric.type() == MetricType.CONVERSION
                    ? BigDecimal.ONE
                    : BigDecimal.valueOf(100 + random.nextInt(19_900), 2).stripTrailingZeros();
            return new Traffic.Event(unit + "-m" + i, unit, metric.key(), value,
                    Instant.parse("2026-11-24T10:00:01Z"));
        }

        /** The batch as ingest parses it. */
        List<IngestEvent> parsed(List<Traffic.Event> batch) {
            return EventBatch.parse(Json.parse(traffic.body(batch)), clock.instant()).events();
        }

        IngestResult send(IngestService service, List<Traffic.Event> batch) {
            return service.ingest(EventBatch.parse(Json.parse(traffic.body(batch)), clock.instant()));
        }

        /** Adds a recorded batch to the ground truth (once, whatever the re-sends). */
        void recorded(List<Traffic.Event> batch) {
            synchronized (truth) {
                batch.forEach(truth::apply);
            }
        }

        /** Fails the run unless the stored aggregates are the ground truth; then drops the tables. */
        void check() {
            Map<String, VariantAggregates> stored = new DynamoDbAggregateReader(bench.client(), tables.aggregates())
                    .read(spec.key(), IngestTarget.EXPERIMENT_SCOPE);
            if (!GroundTruth.sameNumbers(stored, truth.byVariant())) {
                throw new IllegalStateException("aggregates differ from the ground truth: " + stored + " vs " + truth.byVariant());
            }
            bench.drop(tables);
        }
    }
}
