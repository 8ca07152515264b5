package io.splitline.aggregate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The body of the segment roll-up item: the segment items of all shards merged into one item per sort key (each
 * sum attribute added exactly, as {@link BigDecimal}s), written as sort key then (name, number) pairs and gzipped.
 * Merging keeps only the attributes {@link DynamoDbAggregateReader#sum} reads (the fold's applied markers are not
 * sums), and every one of them is a sum, so summing the merged items gives the very numbers summing the shards'
 * items gives. At 46 segments × 4 variants × 6 items with CUPED's sums the body is tens of KB (BENCHMARKS.md,
 * "Segment roll-up"), against DynamoDB's 400 KB item limit.
 */
public final class SegmentRollupCodec {
    /** The body's format, written first: a body of another format is rejected, never misread. */
    static final int FORMAT = 1;

    private static final Set<String> SUMS = Set.of(AggregateTable.UNITS, AggregateTable.POSITIVE, AggregateTable.SUM,
            AggregateTable.SUM_SQUARES, AggregateTable.COVARIATE_SUM, AggregateTable.COVARIATE_SUM_SQUARES,
            AggregateTable.CROSS_PRODUCTS, AggregateTable.CAPPED_SUM, AggregateTable.CAPPED_SUM_SQUARES, AggregateTable.CAPPED_UNITS);

    private SegmentRollupCodec() {
    }

    /** Whether {@link DynamoDbAggregateReader#sum} reads the attribute {@code name} (as a sum). */
    static boolean isSum(String name) {
        return SUMS.contains(name) || name.startsWith(AggregateTable.RATIO_PRODUCTS_PREFIX)
                || name.startsWith(AggregateTable.VALUE_BINS) || name.startsWith(AggregateTable.TOTAL_BINS);
    }

    /** One item per sort key of {@code items}, holding the exact sum of each of their sum attributes; ordered by sort key. */
    public static List<Map<String, AttributeValue>> merge(List<Map<String, AttributeValue>> items) {
        Map<String, Map<String, BigDecimal>> bySk = new TreeMap<>();
        for (Map<String, AttributeValue> item : items) {
            Map<String, BigDecimal> sums = bySk.computeIfAbsent(item.get(AggregateTable.SK).s(), sk -> new TreeMap<>());
            item.forEach((name, value) -> {
                if (isSum(name)) {
                    sums.merge(name, new BigDecimal(value.n()), BigDecimal::add);
                }
            });
        }
        List<Map<String, AttributeValue>> merged = new ArrayList<>(bySk.size());
        bySk.forEach((sk, sums) -> merged.add(item(sk, sums)));
        return merged;
    }

    /** The merged items, encoded. */
    public static byte[] encode(List<Map<String, AttributeValue>> merged) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
            out.writeInt(FORMAT);
            out.writeInt(merged.size());
            for (Map<String, AttributeValue> item : merged) {
                out.writeUTF(item.get(AggregateTable.SK).s());
                Map<String, AttributeValue> sums = new TreeMap<>(item);
                sums.keySet().removeIf(name -> !isSum(name));
                if (sums.size() > 0xFFFF) { // the count is written as an unsigned short
                    throw new IllegalArgumentException("segment item " + item.get(AggregateTable.SK).s() + " has "
                            + sums.size() + " sums, more than a roll-up body holds per item");
                }
                out.writeShort(sums.size());
                for (Map.Entry<String, AttributeValue> sum : sums.entrySet()) {
                    out.writeUTF(sum.getKey());
                    out.writeUTF(sum.getValue().n());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a segment roll-up", e);
        }
        return bytes.toByteArray();
    }

    /** The merged items {@link #encode} wrote. */
    public static List<Map<String, AttributeValue>> decode(byte[] body) {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(new ByteArrayInputStream(body)))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalArgumentException("segment roll-up format " + format + ", this code reads " + FORMAT);
            }
            int count = in.readInt();
            if (count < 0) {
                throw new IllegalArgumentException("segment roll-up of " + count + " items");
            }
            // capacity not taken from the body: a damaged count fails at the end of the stream, not on allocation
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String sk = in.readUTF();
                int attributes = in.readUnsignedShort();
                Map<String, AttributeValue> item = new HashMap<>(attributes + 1, 1f);
                item.put(AggregateTable.SK, AttributeValue.fromS(sk));
                for (int a = 0; a < attributes; a++) {
                    item.put(in.readUTF(), AttributeValue.fromN(in.readUTF()));
                }
                items.add(item);
            }
            return items;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode a segment roll-up", e);
        }
    }

    private static Map<String, AttributeValue> item(String sk, Map<String, BigDecimal> sums) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(AggregateTable.SK, AttributeValue.fromS(sk));
        // toString: new BigDecimal reads it back as the same value with the same scale (so equal records downstream)
        sums.forEach((name, sum) -> item.put(name, AttributeValue.fromN(sum.toString())));
        return item;
    }
}
