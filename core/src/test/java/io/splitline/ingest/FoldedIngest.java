package io.splitline.ingest;

import io.splitline.aggregate.AggregateReader;
import io.splitline.aggregate.SegmentVariants;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.metrics.MetricSink;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Design B end to end on the in-memory twins, for tests whose subject is what ingested events lead to (results,
 * the rollout step, notifications) or what a refused event leaves: {@code POST /events}' {@link RawEventIngest}
 * stores each batch in an {@link InMemoryRawEventStore}, then the events it stored are folded at once, in the order
 * stored, as batches of one stream shard, by a {@link StreamAggregator} on {@link InMemoryStreamFoldStore} and
 * {@link InMemoryUnitHistoryStore} — as the local stack folds after every call. The aggregates are read by an
 * {@link InMemoryAggregateReader}, as {@code DynamoDbAggregateReader} reads them.
 */
public final class FoldedIngest implements AggregateReader {
    /** What the events table's stream mapping delivers at most per batch ({@code AggregateStreamMapping}'s BatchSize). */
    private static final int STREAM_BATCH = 1000;
    private static final String STREAM_SHARD = "shardId-00000001700000000000-f01dab1e";

    /** Every table, as a test would scan them: equal contents mean nothing was written. */
    record Contents(Map<String, RawEvent> events, Map<UnitRef, StreamUnit> units, Map<AggregateItem, AggregateDelta> aggregates,
                    Map<String, UnitHistory> histories) {
    }

    private final InMemoryRawEventStore events = new InMemoryRawEventStore();
    private final InMemoryStreamFoldStore fold;
    private final InMemoryAggregateReader reader;
    private final InMemoryUnitHistoryStore histories = new InMemoryUnitHistoryStore();
    private final RawEventIngest ingest;
    private final StreamAggregator aggregator;
    /** Events stored by the current call, in order: the stream's next records. */
    private final List<RawEvent> stored = new ArrayList<>();
    private BigInteger sequence = new BigInteger("49600000000000000000000000");

    /** Ingest whose fold emits no guardrail metrics, on the system clock. */
    public FoldedIngest(IngestTargets targets) {
        this(targets, datum -> { }, Clock.systemUTC());
    }

    /** Ingest whose fold sends the guardrail values it counts to {@code metrics}. */
    public FoldedIngest(IngestTargets targets, MetricSink metrics, Clock clock) {
        this.fold = new InMemoryStreamFoldStore(clock);
        this.reader = new InMemoryAggregateReader(fold);
        this.ingest = new RawEventIngest(this::putNew, targets);
        this.aggregator = new StreamAggregator(fold, histories, targets, metrics, clock);
    }

    /** Stores the batch's events as {@code POST /events} does, then folds those it stored. */
    public synchronized IngestResult ingest(EventBatch batch) {
        try {
            return ingest.ingest(batch);
        } finally {
            for (int from = 0; from < stored.size(); from += STREAM_BATCH) {
                List<StreamRecord> records = new ArrayList<>();
                for (RawEvent e : stored.subList(from, Math.min(stored.size(), from + STREAM_BATCH))) {
                    sequence = sequence.add(BigInteger.ONE);
                    records.add(new StreamRecord(sequence, e.event()));
                }
                aggregator.apply(STREAM_SHARD, records);
            }
            stored.clear();
        }
    }

    private List<RawEventStore.Outcome> putNew(List<RawEvent> batch) {
        List<RawEventStore.Outcome> outcomes = events.putNew(batch);
        for (int i = 0; i < batch.size(); i++) {
            if (outcomes.get(i) == RawEventStore.Outcome.STORED) {
                stored.add(batch.get(i));
            }
        }
        return outcomes;
    }

    @Override
    public synchronized Map<String, VariantAggregates> read(String key, String scope, int shards) {
        return reader.read(key, scope, shards);
    }

    @Override
    public synchronized List<SegmentVariants> segments(String key, String scope, int shards) {
        return reader.segments(key, scope, shards);
    }

    /** A copy of every table. */
    synchronized Contents contents() {
        return new Contents(Map.copyOf(events.stored), Map.copyOf(fold.units), Map.copyOf(fold.aggregates),
                Map.copyOf(histories.histories));
    }
}
