package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.AggregateTable;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.DynamoDbSegmentRollups;
import io.splitline.aggregate.SegmentRollup;
import io.splitline.aggregate.SegmentRollupCodec;
import io.splitline.aggregate.SegmentRollups;
import io.splitline.aggregate.SegmentTable;
import io.splitline.aggregate.Shards;
import io.splitline.aggregate.SegmentVariants;
import io.splitline.definitions.DefinitionCache;
import io.splitline.definitions.DefinitionTargets;
import io.splitline.devkit.DynamoDbLocal;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.LifecycleAction;
import io.splitline.json.Json;
import io.splitline.results.ExperimentResults;
import io.splitline.results.ResultsService;
import io.splitline.rollout.MutableClock;
import io.splitline.store.DefinitionStore;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The segment roll-up on DynamoDB Local: the experiment's units, with a country and CUPED covariates, folded on two
 * stream shards (so the segment items are spread over aggregate partitions and carry the fold's markers). The roll-up
 * holds exactly the segments read live; a results call shows it while it is at most the bound old, then recomputes
 * it; the write is conditional on the version read, also with two calls recomputing in flight together.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class SegmentRollupDynamoDbTest {
    private static final String KEY = "rollup-seg";
    private static final String SCOPE = IngestTarget.EXPERIMENT_SCOPE;
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final List<String> COUNTRIES = List.of("de", "fr", "us");

    private final BigInteger[] sequences = {StreamAggregatorTest.FIRST_SEQUENCE, StreamAggregatorTest.FIRST_SEQUENCE};

    @Test
    void theRollup_holdsExactlyTheSegmentsReadLive(LocalTables local) {
        Fixture f = new Fixture(local);
        f.fold(0, 300);
        List<SegmentVariants> live = f.reader.segments(KEY, SCOPE);
        List<Map<String, AttributeValue>> items = f.reader.segmentItems(KEY, SCOPE, Shards.COUNT);

        SegmentRollup computed = f.rollups.recompute(KEY, SCOPE, Shards.COUNT, 1, SimulatedTraffic.NOW);
        SegmentRollup stored = f.rollups.read(KEY, SCOPE).orElseThrow();
        // a fresh store decodes the body itself (the first one keeps what it decoded)
        SegmentRollup decoded = new DynamoDbSegmentRollups(local.client(), f.tables.aggregates(), f.reader).read(KEY, SCOPE).orElseThrow();

        assertTrue(live.size() >= COUNTRIES.size() && live.stream().anyMatch(s -> s.variants().values().stream()
                .anyMatch(v -> !v.covariates().isEmpty())), "segments with CUPED sums: " + live);
        assertEquals(live, computed.segments());
        assertEquals(new SegmentRollup(1, SimulatedTraffic.NOW, live), stored);
        assertEquals(stored, decoded);
        assertTrue(SegmentRollupCodec.merge(items).size() < items.size(), "the segment items lie on both partitions, merged in the roll-up");
    }

    @Test
    void onlyTheVersionAfterTheOneRead_isStored(LocalTables local) {
        Fixture f = new Fixture(local);
        f.fold(0, 40);
        Instant t = SimulatedTraffic.NOW;

        f.rollups.recompute(KEY, SCOPE, Shards.COUNT, 1, t);
        SegmentRollup lost = f.rollups.recompute(KEY, SCOPE, Shards.COUNT, 1, t.plusSeconds(1));
        assertEquals(t, f.rollups.read(KEY, SCOPE).orElseThrow().computedAt(), "a second version 1 is not stored");
        assertEquals(t.plusSeconds(1), lost.computedAt(), "the call that lost shows its own sums");

        f.rollups.recompute(KEY, SCOPE, Shards.COUNT, 2, t.plusSeconds(2));
        f.rollups.recompute(KEY, SCOPE, Shards.COUNT, 2, t.plusSeconds(3));
        f.rollups.recompute(KEY, SCOPE, Shards.COUNT, 4, t.plusSeconds(4));
        SegmentRollup stored = f.rollups.read(KEY, SCOPE).orElseThrow();
        assertEquals(2, stored.version());
        assertEquals(t.plusSeconds(2), stored.computedAt(), "neither a repeated nor a skipped version replaces version 2");
    }

    @Test
    void resultsShowTheRollupWhileFresh_thenRecomputeIt(LocalTables local) {
        Fixture f = new Fixture(local);
        MutableClock clock = new MutableClock(SimulatedTraffic.NOW);
        ResultsService results = new ResultsService(f.store, f.reader, f.rollups, BOUND, clock);
        ResultsService live = new ResultsService(f.store, f.reader, clock);
        f.fold(0, 200);

        ExperimentResults first = results.results(KEY);
        assertEquals(live.results(KEY).segments(), first.segments(), "the roll-up's statistics are the live ones");
        assertEquals(SimulatedTraffic.NOW, first.segmentsComputedAt());

        f.fold(200, 260);
        clock.advance(BOUND);
        ExperimentResults fresh = results.results(KEY);
        ExperimentResults now = live.results(KEY);
        assertEquals(now.variants(), fresh.variants(), "the whole experiment is always read live");
        assertNotEquals(first.variants(), fresh.variants());
        assertEquals(first.segments(), fresh.segments(), "at the bound the roll-up is still shown");
        assertEquals(SimulatedTraffic.NOW, fresh.segmentsComputedAt());
        assertEquals(clock.instant(), fresh.computedAt());

        clock.advance(Duration.ofMillis(1));
        ExperimentResults recomputed = results.results(KEY);
        assertEquals(now.segments(), recomputed.segments(), "past the bound the segments are summed again");
        assertEquals(clock.instant(), recomputed.segmentsComputedAt());
        assertEquals(2, f.rollups.read(KEY, SCOPE).orElseThrow().version());
    }

    @Test
    void twoCallsRecomputingTheSameRollupInFlight_storeOne_andBothShowTheLiveSegments(LocalTables local) throws Exception {
        Fixture f = new Fixture(local);
        f.fold(0, 120);
        f.rollups.recompute(KEY, SCOPE, Shards.COUNT, 1, SimulatedTraffic.NOW.minus(BOUND).minusSeconds(1)); // stale at NOW
        MutableClock clock = new MutableClock(SimulatedTraffic.NOW);
        CountDownLatch bothRead = new CountDownLatch(2);
        AtomicInteger recomputed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutionInterceptor countRefusals = new ExecutionInterceptor() {
            @Override
            public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
                if (context.exception() instanceof ConditionalCheckFailedException) {
                    refused.incrementAndGet();
                }
            }
        };
        DynamoDbSegmentRollups counted = new DynamoDbSegmentRollups(DynamoDbLocal.client(local.endpoint(), countRefusals),
                f.tables.aggregates(), f.reader);
        // both calls read the same stale version 1 before either recomputes: both then write version 2
        SegmentRollups gated = new SegmentRollups() {
            @Override
            public Optional<SegmentRollup> read(String key, String scope) {
                Optional<SegmentRollup> read = f.rollups.read(key, scope);
                bothRead.countDown();
                await(bothRead);
                return read;
            }

            @Override
            public SegmentRollup recompute(String key, String scope, int shards, long version, Instant at) {
                recomputed.incrementAndGet();
                return counted.recompute(key, scope, shards, version, at);
            }
        };
        ExecutorService calls = Executors.newFixedThreadPool(2);
        try {
            List<Future<ExperimentResults>> inFlight = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                inFlight.add(calls.submit(() -> new ResultsService(f.store, f.reader, gated, BOUND, clock).results(KEY)));
            }
            List<ExperimentResults> answered = new ArrayList<>();
            for (Future<ExperimentResults> call : inFlight) {
                answered.add(call.get(60, TimeUnit.SECONDS));
            }
            List<?> liveSegments = new ResultsService(f.store, f.reader, clock).results(KEY).segments();
            assertEquals(2, recomputed.get());
            for (ExperimentResults r : answered) {
                assertEquals(liveSegments, r.segments());
                assertEquals(SimulatedTraffic.NOW, r.segmentsComputedAt());
            }
            SegmentRollup stored = f.rollups.read(KEY, SCOPE).orElseThrow();
            assertEquals(2, stored.version(), "one of the two writes of version 2 was stored");
            assertEquals(1, refused.get(), "the other write of version 2 was refused by its condition");
            assertEquals(f.reader.segments(KEY, SCOPE), stored.segments());
        } finally {
            calls.shutdownNow();
        }
    }

    @Test
    void aRollupThisCodeCannotRead_isRecomputedAsTheNextVersion_notAFailedCall(LocalTables local) {
        Fixture f = new Fixture(local);
        f.fold(0, 90);
        f.rollups.recompute(KEY, SCOPE, Shards.COUNT, 1, SimulatedTraffic.NOW);
        // a body of another format (a newer deployment's, say) or a damaged one, stored as version 3
        local.client().updateItem(b -> b.tableName(f.tables.aggregates())
                .key(Map.of(AggregateTable.PK, AttributeValue.fromS(SegmentTable.rollupPk(KEY, SCOPE)),
                        AggregateTable.SK, AttributeValue.fromS(SegmentTable.ROLLUP_SK)))
                .updateExpression("SET #v = :v, #b = :b")
                .expressionAttributeNames(Map.of("#v", "version", "#b", "body"))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromN("3"),
                        ":b", AttributeValue.fromB(SdkBytes.fromUtf8String("not a roll-up body")))));
        MutableClock clock = new MutableClock(SimulatedTraffic.NOW.plusSeconds(1));

        ExperimentResults shown = new ResultsService(f.store, f.reader, new DynamoDbSegmentRollups(local.client(),
                f.tables.aggregates(), f.reader), BOUND, clock).results(KEY);

        assertEquals(new ResultsService(f.store, f.reader, clock).results(KEY).segments(), shown.segments());
        assertEquals(clock.instant(), shown.segmentsComputedAt(), "recomputed, although the unreadable one looked fresh");
        SegmentRollup stored = f.rollups.read(KEY, SCOPE).orElseThrow();
        assertEquals(4, stored.version(), "stored as the version after the unreadable one");
        assertEquals(f.reader.segments(KEY, SCOPE), stored.segments());
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other call never read the roll-up");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The running experiment {@value #KEY} (a country dimension, a conversion and a mean metric) and its readers. */
    private final class Fixture {
        final TableNames tables;
        final DefinitionStore store;
        final DynamoDbAggregateReader reader;
        final DynamoDbSegmentRollups rollups;
        final StreamAggregator aggregator;

        Fixture(LocalTables local) {
            tables = TableNames.fromLogicalIds(local.names());
            store = new DynamoDbDefinitionStore(local.client(), tables.definitions());
            ObjectNode definition = (ObjectNode) Json.parse("""
                    {"key": "rollup-seg", "dimensions": ["country"],
                     "variants": [{"key": "control", "weight": 0.5}, {"key": "treatment", "weight": 0.5}],
                     "metrics": [{"key": "purchase", "type": "conversion", "role": "primary"},
                                 {"key": "revenue", "type": "mean"}]}""");
            ObjectNode overrides = definition.putObject("overrides");
            for (int u = 0; u < 1_000; u++) {
                overrides.put("unit-" + u, u % 3 == 0 ? "treatment" : "control");
            }
            ExperimentService experiments = new ExperimentService(store, IngestGroundTruthTest.CLOCK);
            experiments.create(ExperimentJson.parseSpec(definition), "test");
            experiments.transition(KEY, LifecycleAction.START, "test");
            reader = new DynamoDbAggregateReader(local.client(), tables.aggregates());
            rollups = new DynamoDbSegmentRollups(local.client(), tables.aggregates(), reader);
            aggregator = new StreamAggregator(new DynamoDbStreamFoldStore(local.client(), tables),
                    new DefinitionTargets(new DefinitionCache(store, Duration.ofMinutes(1), IngestGroundTruthTest.CLOCK)));
        }

        /** Exposes units {@code from}..{@code to}−1 (a country, a revenue covariate) and folds their purchases and revenue. */
        void fold(int from, int to) {
            List<List<StreamRecord>> byShard = List.of(new ArrayList<>(), new ArrayList<>());
            for (int u = from; u < to; u++) {
                String unit = "unit-" + u;
                int shard = u % 2;
                List<IngestEvent> events = new ArrayList<>(List.of(
                        new IngestEvent(0, unit + "-x", KEY, unit, EventType.EXPOSURE, null, BigDecimal.ZERO, SimulatedTraffic.NOW,
                                false, Map.of("revenue", BigDecimal.valueOf(u % 7, 1)), Map.of("country", COUNTRIES.get(u % COUNTRIES.size()))),
                        new IngestEvent(0, unit + "-r", KEY, unit, EventType.METRIC, "revenue", BigDecimal.valueOf(u % 11 + 1, 2),
                                SimulatedTraffic.NOW, false, Map.of())));
                if (u % 4 != 0) {
                    events.add(new IngestEvent(0, unit + "-p", KEY, unit, EventType.METRIC, "purchase", BigDecimal.ONE,
                            SimulatedTraffic.NOW, false, Map.of()));
                }
                for (IngestEvent e : events) {
                    sequences[shard] = sequences[shard].add(BigInteger.TEN);
                    byShard.get(shard).add(new StreamRecord(sequences[shard], e));
                }
            }
            for (int shard = 0; shard < 2; shard++) {
                aggregator.apply(StreamAggregatorTest.SHARDS.get(shard), byShard.get(shard));
            }
        }
    }
}
