package io.splitline.ingest;

import java.math.BigInteger;

/**
 * One stored raw event as the events table's stream delivers it: its INSERT record's sequence number
 * (unique and increasing within a stream shard) and the event. A keyless event has a null {@code key}.
 */
public record StreamRecord(BigInteger sequence, IngestEvent event) {
}
