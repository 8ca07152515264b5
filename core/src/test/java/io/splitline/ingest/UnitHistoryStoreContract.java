package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UnitHistoryStore} guarantees, run against the in-memory twin ({@code InMemoryUnitHistoryStoreTest})
 * and DynamoDB Local ({@code DynamoDbUnitHistoryStoreContractTest}): a history is written on condition of its version.
 */
public abstract class UnitHistoryStoreContract {
    private static final LocalDate DAY = LocalDate.parse("2026-11-30");

    /** An empty store, new for every test. */
    protected abstract UnitHistoryStore store();

    /** A history read from the store at {@code version}, holding the given revenue totals on two days. */
    private static UnitHistory history(String first, String second, String sequence, long version) {
        TreeMap<LocalDate, Map<String, BigDecimal>> days = new TreeMap<>();
        days.put(DAY, Map.of("revenue", new BigDecimal(first), "visits", new BigDecimal("3")));
        days.put(DAY.plusDays(1), Map.of("revenue", new BigDecimal(second)));
        return new UnitHistory(days, new BigInteger(sequence), version);
    }

    @Test
    void unitsWithoutAHistory_areAbsent() {
        assertEquals(Map.of(), store().load(List.of("u1", "u2")));
    }

    @Test
    void aFirstWrite_storesVersion1_andLoadReturnsIt() {
        UnitHistoryStore store = store();

        assertTrue(store.write("u1", history("4.5", "2", "49600000000000000000000000123", 0)));

        assertEquals(Map.of("u1", history("4.5", "2", "49600000000000000000000000123", 1)),
                store.load(List.of("u1", "u2")));
    }

    @Test
    void aWriteFromAStaleVersion_isRefused_andWritesNothing() {
        UnitHistoryStore store = store();
        store.write("u1", history("1", "2", "10", 0));

        assertFalse(store.write("u1", history("9", "9", "11", 0)), "an item exists: version 0 is stale");
        assertTrue(store.write("u1", history("5", "2", "12", 1)));
        assertFalse(store.write("u1", history("9", "9", "13", 1)), "version 2 is stored: 1 is stale");
        assertFalse(store.write("u1", history("9", "9", "13", 3)), "a version ahead of the stored one is refused too");

        assertEquals(history("5", "2", "12", 2), store.load(List.of("u1")).get("u1"));
    }

    @Test
    void eachUnit_hasItsOwnHistoryAndVersion() {
        UnitHistoryStore store = store();
        store.write("u1", history("1", "1", "10", 0));
        store.write("u1", history("2", "2", "11", 1));

        assertTrue(store.write("u2", history("7", "8", "12", 0)));

        assertEquals(Map.of("u1", history("2", "2", "11", 2), "u2", history("7", "8", "12", 1)), store.load(List.of("u1", "u2", "u3")));
    }
}
