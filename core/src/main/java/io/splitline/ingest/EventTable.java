package io.splitline.ingest;

/**
 * Layout of {@code EventsTable}: every accepted event, kept for audit and recomputation until
 * {@code expiresAt} (epoch seconds, DynamoDB TTL). Its key doubles as the idempotency record: an event
 * is written in the same transaction as its effect on the aggregates, conditional on the key not
 * existing, so "stored" and "counted" are one fact.
 */
public final class EventTable {
    public static final String PK = "pk";
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
    /** An exposure's targeting attributes (map of string → string), read for its segment values. */
    public static final String ATTRIBUTES = "attributes";

    private EventTable() {
    }
}
