package io.splitline.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HarnessOptionsTest {

    @Test
    void noArguments_runEveryScenarioAtTheDocumentedSizes() {
        HarnessOptions o = HarnessOptions.parse();

        assertEquals(Set.of("ingest", "results", "assign"), o.scenarios());
        assertEquals(List.of(1, 25, 500), o.batchSizes());
        assertEquals(List.of(10_000L, 100_000L, 1_000_000L), o.resultSizes());
    }

    @Test
    void smokeWithAnOverride_keepsTheSmokeSizesForEverythingElse() {
        HarnessOptions o = HarnessOptions.parse("--smoke", "--assign-calls", "7");

        assertEquals(7, o.assignCalls());
        assertEquals(HarnessOptions.smoke().ingestEvents(), o.ingestEvents());
        assertEquals(HarnessOptions.smoke().resultSizes(), o.resultSizes());
        assertTrue(o.ingestBudget().compareTo(Duration.ofSeconds(10)) <= 0, "a smoke run takes seconds");
    }

    @Test
    void scenariosAndSizes_areReadAsCommaSeparatedLists() {
        HarnessOptions o = HarnessOptions.parse("--scenarios", "results", "--results-sizes", "1000,20_000");

        assertEquals(Set.of("results"), o.scenarios());
        assertEquals(List.of(1_000L, 20_000L), o.resultSizes());
    }

    @Test
    void badOptions_areRejectedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--scenarios", "cold-start"));
        assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--results-sizes", "1000,1000"));
        assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--ingest-events", "0"));
        assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--assign-calls"));
        assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--warp", "9"));
    }
}
