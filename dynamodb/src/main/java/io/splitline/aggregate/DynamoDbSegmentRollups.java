package io.splitline.aggregate;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * {@link SegmentRollups} on DynamoDB: one item in the aggregates table per experiment (or rollout stage),
 * {@link SegmentTable#rollupPk}, read by one eventually consistent GetItem (a read that lags only makes the roll-up
 * look older, never fresher than it is) and written by one PutItem conditional on the version read, so of two calls
 * recomputing at once exactly one stores its sums. The body is {@link SegmentRollupCodec}'s; the last body decoded
 * per key is kept with its segments, so a warm container that reads the same roll-up again decodes nothing.
 */
public final class DynamoDbSegmentRollups implements SegmentRollups {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbSegmentRollups.class);

    /**
     * The largest body written: DynamoDB's item limit is 400 KB. A larger roll-up (far more dimensions, metrics or
     * quantile bins than the benchmark's 46 segments of 5 metrics) is not stored; each call then shows its own sums.
     */
    static final int MAX_BODY_BYTES = 350_000;
    /** Keys whose last decoded roll-up is kept. */
    static final int CAPACITY = 64;

    static final String VERSION = "version";
    static final String COMPUTED_AT = "computedAt";
    static final String BODY = "body";

    private record Decoded(byte[] body, List<SegmentVariants> segments) {
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoDbAggregateReader reader;
    private final Map<String, Decoded> decoded = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Decoded> eldest) {
            return size() > CAPACITY;
        }
    };

    public DynamoDbSegmentRollups(DynamoDbClient dynamo, String table, DynamoDbAggregateReader reader) {
        this.dynamo = dynamo;
        this.table = table;
        this.reader = reader;
    }

    @Override
    public Optional<SegmentRollup> read(String key, String scope) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(key, scope))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        String pk = SegmentTable.rollupPk(key, scope);
        byte[] body = item.get(BODY).b().asByteArrayUnsafe();
        Decoded last;
        synchronized (decoded) {
            last = decoded.get(pk);
        }
        long version = Long.parseLong(item.get(VERSION).n());
        if (last == null || !Arrays.equals(last.body(), body)) {
            try {
                last = new Decoded(body, DynamoDbAggregateReader.segmentsOf(SegmentRollupCodec.decode(body)));
            } catch (RuntimeException e) {
                // A body this code cannot read (another format, written by a newer deployment, or damaged): shown as
                // older than any bound, so this call recomputes it as the next version instead of failing every call.
                LOG.warn("segment roll-up of {} (version {}) cannot be read; recomputing it", pk, version, e);
                return Optional.of(new SegmentRollup(version, Instant.EPOCH, List.of()));
            }
            synchronized (decoded) {
                decoded.put(pk, last);
            }
        }
        return Optional.of(new SegmentRollup(version, Instant.parse(item.get(COMPUTED_AT).s()), last.segments()));
    }

    @Override
    public SegmentRollup recompute(String key, String scope, int shards, long version, Instant at) {
        List<Map<String, AttributeValue>> merged = SegmentRollupCodec.merge(reader.segmentItems(key, scope, shards));
        SegmentRollup rollup = new SegmentRollup(version, at, DynamoDbAggregateReader.segmentsOf(merged));
        byte[] body = SegmentRollupCodec.encode(merged);
        if (body.length <= MAX_BODY_BYTES) {
            Map<String, AttributeValue> item = new HashMap<>(key(key, scope));
            item.put(VERSION, AttributeValue.fromN(Long.toString(version)));
            item.put(COMPUTED_AT, AttributeValue.fromS(at.toString()));
            item.put(BODY, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(body)));
            PutItemRequest.Builder put = PutItemRequest.builder().tableName(table).item(item);
            if (version == 1) {
                put.conditionExpression("attribute_not_exists(#v)").expressionAttributeNames(Map.of("#v", VERSION));
            } else {
                put.conditionExpression("#v = :read").expressionAttributeNames(Map.of("#v", VERSION))
                        .expressionAttributeValues(Map.of(":read", AttributeValue.fromN(Long.toString(version - 1))));
            }
            try {
                dynamo.putItem(put.build());
            } catch (ConditionalCheckFailedException e) {
                // another call stored this version first: its sums are as fresh as these, which this call shows
            } catch (SdkException e) {
                // throttled or failed after the SDK's retries: this call still has fresh sums to show; the next recomputes
                LOG.warn("segment roll-up of {} not stored (version {}); shown from this call's own read", key, version, e);
            }
        } else {
            LOG.warn("segment roll-up of {} not stored: its body is {} bytes, over {}; results calls read the segment"
                    + " partitions once the roll-up they showed is too old", key, body.length, MAX_BODY_BYTES);
        }
        return rollup;
    }

    private static Map<String, AttributeValue> key(String key, String scope) {
        return Map.of(AggregateTable.PK, AttributeValue.fromS(SegmentTable.rollupPk(key, scope)),
                AggregateTable.SK, AttributeValue.fromS(SegmentTable.ROLLUP_SK));
    }
}
