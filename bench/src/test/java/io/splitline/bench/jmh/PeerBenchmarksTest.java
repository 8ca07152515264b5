package io.splitline.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.launchdarkly.sdk.LDContext;
import io.getunleash.UnleashContext;
import io.getunleash.variant.Variant;
import io.splitline.assignment.Assignment;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The peers in {@link PeerBenchmarks} must make the decision Splitline makes, or their figures compare
 * nothing: each splits the benchmark's units about 50/50, leaves a unit outside the targeted countries
 * out of the experiment, and honours the QA override.
 */
class PeerBenchmarksTest {
    private static final PeerBenchmarks BENCH = new PeerBenchmarks();

    @BeforeAll
    static void setUp() throws Exception {
        BENCH.setUp();
    }

    @AfterAll
    static void tearDown() throws Exception {
        BENCH.tearDown();
    }

    @Test
    void eachImplementationSplitsTheUnitsAboutEvenly() {
        int splitline = 0;
        int unleash = 0;
        int launchDarkly = 0;
        for (int i = 0; i < PeerBenchmarks.UNITS; i++) {
            Assignment assignment = BENCH.splitline.assign(BENCH.units[i], BENCH.attributes);
            assertTrue(assignment.inExperiment(), BENCH.units[i]);
            splitline += green(assignment.variant());
            Variant variant = BENCH.unleash.getVariant(PeerBenchmarks.EXPERIMENT, BENCH.unleashContexts[i]);
            assertTrue(variant.isEnabled(), BENCH.units[i]);
            unleash += green(variant.getName());
            launchDarkly += green(BENCH.launchDarkly.stringVariation(PeerBenchmarks.EXPERIMENT,
                    BENCH.launchDarklyContexts[i], "unassigned"));
        }
        // 1,024 fair coin flips: ±72 is 4.5 standard deviations (16).
        for (int greens : new int[] {splitline, unleash, launchDarkly}) {
            assertTrue(Math.abs(greens - PeerBenchmarks.UNITS / 2) < 72, "green in " + greens + " of 1024");
        }
    }

    @Test
    void aUnitOutsideTheTargetedCountriesIsNotInTheExperiment() {
        String unit = BENCH.units[0];
        assertFalse(BENCH.splitline.assign(unit, Map.of("country", "US")).inExperiment());
        assertFalse(BENCH.unleash.getVariant(PeerBenchmarks.EXPERIMENT,
                UnleashContext.builder().userId(unit).addProperty("country", "US").build()).isEnabled());
        assertEquals("control", BENCH.launchDarkly.stringVariation(PeerBenchmarks.EXPERIMENT,
                LDContext.builder(unit).set("country", "US").build(), "unassigned"));
    }

    @Test
    void theQaOverrideWinsEverywhere() {
        assertEquals("green", BENCH.splitline.assign("qa-user-1", BENCH.attributes).variant());
        assertEquals("green", BENCH.unleash.getVariant(PeerBenchmarks.EXPERIMENT,
                UnleashContext.builder().userId("qa-user-1").addProperty("country", "DE").build()).getName());
        assertEquals("green", BENCH.launchDarkly.stringVariation(PeerBenchmarks.EXPERIMENT,
                LDContext.builder("qa-user-1").set("country", "DE").build(), "unassigned"));
    }

    private static int green(String variant) {
        return "green".equals(variant) ? 1 : 0;
    }
}
