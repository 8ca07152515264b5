package io.splitline.aggregate;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Spreads an experiment's (or rollout stage's) aggregate writes over partition keys: the stream fold writes a
 * batch's increments to shard {@code CRC-32(stream shard id) mod count}, and readers sum shards
 * {@code 0 … count − 1}. Each experiment has its own count ({@code aggregateShards}: 4, 8 or 16, fixed once it
 * runs); rollouts and holdouts use {@link #COUNT}. The counts nest ({@code (c mod 16) mod 4 = c mod 4}), and a
 * shard the fold never wrote reads as nothing, so reading {@link #COUNT} shards is right for any count.
 */
public final class Shards {
    /**
     * The most shards, and the count of rollouts, holdouts and every experiment stored before experiments had a count
     * of their own: 16 partitions × 1 000 writes/s each comfortably exceeds what one API key's usage plan lets through.
     */
    public static final int COUNT = 16;

    private Shards() {
    }

    /** The shard of {@code streamShard} among {@link #COUNT}. */
    public static int of(String streamShard) {
        return of(streamShard, COUNT);
    }

    /** The shard of {@code streamShard} among {@code count} (a power of two up to {@link #COUNT}). */
    public static int of(String streamShard, int count) {
        if (count < 1 || count > COUNT || Integer.bitCount(count) != 1) {
            throw new IllegalArgumentException("a shard count is a power of two up to " + COUNT + ", got " + count);
        }
        CRC32 crc = new CRC32();
        crc.update(streamShard.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % count);
    }
}
