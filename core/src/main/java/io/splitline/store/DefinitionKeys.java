package io.splitline.store;

import java.util.Locale;

/**
 * Every attribute name and key format of {@code DefinitionsTable}, in one place. A definition and its
 * audit history share a partition ({@code pk = <prefix><key>}): the definition under
 * {@code sk = "DEF"}, each history entry under {@code sk = "HIST#" + 10-digit version}, so a Query on
 * the partition returns the history in version order. Only definition items carry {@code kind}, which
 * keeps the {@code by-kind} index sparse (history items never enter it).
 */
public final class DefinitionKeys {
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String KIND = "kind";
    public static final String KEY = "key";
    public static final String STATUS = "status";
    public static final String VERSION = "version";
    public static final String BODY = "body";
    public static final String UPDATED_AT = "updatedAt";
    /** The schema version of {@code body} (a number); absent on items written before versions existed, which are version 1. */
    public static final String SCHEMA_VERSION = "schemaVersion";
    /** Only on definitions with a pending scheduled action: the kind, as the {@code by-due} index's hash key. */
    public static final String DUE_KIND = "dueKind";
    /** When that action is due, in epoch milliseconds (numbers sort as times; ISO strings of varying precision do not). */
    public static final String DUE_AT = "dueAt";

    public static final String AT = "at";
    public static final String ACTOR = "actor";
    public static final String ACTION = "action";
    public static final String CHANGES = "changes";
    public static final String COUNT = "count";
    public static final String LAST_SEEN_AT = "lastSeenAt";
    public static final String LAST_VERSION = "lastVersion";

    /** The global secondary index listing definitions by kind (hash {@code kind}, range {@code pk}). */
    public static final String BY_KIND_INDEX = "by-kind";
    /**
     * The sparse global secondary index of pending scheduled actions (hash {@code dueKind}, range
     * {@code dueAt}, keys only): the step finds what is due with one Query per kind, whatever the number
     * of definitions.
     */
    public static final String BY_DUE_INDEX = "by-due";

    public static final String DEFINITION_SK = "DEF";
    /** The item of what was last announced about a definition ({@code state}: JSON), beside it in its partition. */
    public static final String WATCHED_SK = "WATCHED";
    public static final String STATE = "state";
    public static final String HISTORY_SK_PREFIX = "HIST#";

    private DefinitionKeys() {
    }

    public static String pk(DefinitionKind kind, String key) {
        return kind.prefix() + key;
    }

    /** The sort key of the history entry of {@code version}; zero-padded so that strings sort as numbers. */
    public static String historySk(long version) {
        return HISTORY_SK_PREFIX + String.format(Locale.ROOT, "%010d", version);
    }

    /** The value of the {@code kind} attribute. */
    public static String kindValue(DefinitionKind kind) {
        return kind.name();
    }
}
