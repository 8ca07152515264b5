package io.splitline.aggregate;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Spreads a hot experiment's aggregate writes over {@link #COUNT} partition keys. A unit always maps to
 * the same shard (CRC-32 of its UTF-8 id), so its updates stay ordered on one item; reads sum all shards.
 * The count is part of the storage format: changing it would strand existing aggregates.
 */
public final class Shards {
    /** 16 partitions × 1 000 writes/s each comfortably exceeds what one API key's usage plan lets through. */
    public static final int COUNT = 16;

    private Shards() {
    }

    public static int of(String unitId) {
        CRC32 crc = new CRC32();
        crc.update(unitId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % COUNT);
    }
}
