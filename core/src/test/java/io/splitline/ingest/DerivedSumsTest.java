package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The planning deltas of the capped and ratio sums, one change of a unit's total at a time: they telescope to
 * the sums of the final totals whatever the path (up through the cap and back down, below 0).
 */
class DerivedSumsTest {
    private static final DerivedSums SUMS = new DerivedSums(Map.of("revenue", new BigDecimal("10")),
            List.of(new DerivedSums.Ratio("per-session", "revenue", "session")));

    @Test
    void cappedDeltas_telescopeToTheCappedFinalTotal_andCountACrossingOnce() {
        UnitState unit = new UnitState("a", "2026-01-01T00:00:00Z", 1, Map.of());
        BigDecimal[] path = {new BigDecimal("4"), new BigDecimal("15"), new BigDecimal("30"), new BigDecimal("7"),
                new BigDecimal("-2"), new BigDecimal("12")};
        DerivedDelta total = DerivedDelta.NONE;
        BigDecimal before = BigDecimal.ZERO;
        long[] capped = new long[path.length];
        for (int i = 0; i < path.length; i++) {
            DerivedDelta d = SUMS.delta(unit, "revenue", before, path[i]);
            total = total.plus(d);
            capped[i] = total.capped().units();
            before = path[i];
        }
        assertEquals(0, new BigDecimal("10").compareTo(total.capped().sum()), "min(12, 10)");
        assertEquals(0, new BigDecimal("100").compareTo(total.capped().sumSquares()));
        assertEquals(List.of(0L, 1L, 1L, 0L, 0L, 1L), java.util.Arrays.stream(capped).boxed().toList(),
                "counted when the total goes above the cap, uncounted when it comes back");
    }

    @Test
    void ratioDeltas_goToTheMetricThatChanged_withTheOtherPartsTotal() {
        UnitState unit = new UnitState("a", "2026-01-01T00:00:00Z", 1, Map.of("revenue", new BigDecimal("6"), "session", new BigDecimal("2")));

        DerivedDelta revenue = SUMS.delta(unit, "revenue", new BigDecimal("6"), new BigDecimal("9"));
        DerivedDelta session = SUMS.delta(unit.withTotal("revenue", new BigDecimal("9")), "session", new BigDecimal("2"), new BigDecimal("5"));
        DerivedDelta other = SUMS.delta(unit, "clicks", BigDecimal.ZERO, BigDecimal.ONE);

        assertEquals(0, new BigDecimal("6").compareTo(revenue.ratioProducts().get("per-session")), "9·2 − 6·2");
        assertEquals(0, new BigDecimal("27").compareTo(session.ratioProducts().get("per-session")), "9·5 − 9·2");
        assertNull(session.capped(), "session is not capped");
        assertEquals(DerivedDelta.NONE, other);
    }
}
