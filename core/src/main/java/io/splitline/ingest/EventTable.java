package io.splitline.ingest;

/**
 * Layout of {@code EventsTable}: every accepted event, kept for audit and recomputation until
 * {@code expiresAt} (epoch seconds, DynamoDB TTL). Design B: {@code pk} is the unit id and {@code sk}
 * {@code <key>#<eventId>} ({@code *#<eventId>} for a keyless event), so a unit's events share a partition
 * and a stream shard, in order. The key doubles as the idempotency record: an event is put on condition
 * that its key does not exist, and the stream carries each stored event once to the aggregator.
 */
public final class EventTable {
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String KEY = "key";
    public static final String EVENT_ID = "eventId";
    public static final String UNIT_ID = "unitId";
    public static final String TYPE = "type";
    public static final String METRIC = "metric";
    public static final String VALUE = "value";
    public static final String TIMESTAMP = "timestamp";
    public static final String RECEIVED_AT = "receivedAt";
    public static final String VARIANT = "variant";
    public static final String SCOPE = "scope";
    public static final String EXPIRES_AT = "expiresAt";
    /** {@code true} on a keyless event's share in {@code key} (absent on an event sent with its key). */
    public static final String KEYLESS = "keyless";
    /** An exposure's explicit covariates (map metric → N), kept so that the stream fold can count them. */
    public static final String COVARIATES = "cov";
    /** An exposure's targeting attributes (map name → S), from the exposure event or {@code /assign}; read for its segment values. */
    public static final String ATTRIBUTES = "attributes";

    private EventTable() {
    }
}
