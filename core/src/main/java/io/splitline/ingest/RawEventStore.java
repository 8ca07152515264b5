package io.splitline.ingest;

import java.util.List;

/**
 * The port through which {@code POST /events} and {@code /assign} store raw events (design B): each event
 * is one conditional put of its own item ({@code attribute_not_exists}), so a failed condition, evaluated
 * against committed data, proves the event was stored before. The DynamoDB implementation is
 * {@code DynamoDbRawEventStore} (module {@code dynamodb}).
 */
public interface RawEventStore {
    /** What became of one put. */
    enum Outcome {
        /** Stored now: the stream will carry it to the aggregator. */
        STORED,
        /** Already stored (an earlier send of the same unit, key and event id): nothing written. */
        DUPLICATE,
        /** Not written (throttled after the client's own retries): the caller must have it re-sent. */
        UNPROCESSED
    }

    /** Puts each event if its item does not exist; one outcome per event, in the order given. */
    List<Outcome> putNew(List<RawEvent> events);
}
