package io.splitline.local;

import org.junit.jupiter.api.Test;

/**
 * The dashboard's capped metrics module ({@code dashboard/views/capped-metrics.js}) shows each capped metric's cap and
 * units above it per variant, and nothing without a cap: {@code caps-check.mjs} runs it in node over a minimal
 * element tree (the browser test's experiments have no capped metric). Skips visibly without node.
 */
class DashboardCapsModuleTest {

    @Test
    void capsModule_showsEachCapAndTheUnitsAboveIt() throws Exception {
        NodeModuleCheck.run("caps-check.mjs", "views/capped-metrics.js", "capped-metrics.js");
    }
}
