package io.splitline.local;

import org.junit.jupiter.api.Test;

/**
 * The dashboard's quantiles module ({@code dashboard/views/quantile-tables.js}) renders what a results body with
 * {@code quantileMetrics} and {@code percentileCaps} holds, and nothing without them: {@code quantile-check.mjs}
 * runs it in node over a minimal element tree. Skips visibly without node.
 */
class DashboardQuantileModuleTest {

    @Test
    void quantilesModule_showsEachVariantsQuantiles_theirDifferencesFromControl_andTheCaps() throws Exception {
        NodeModuleCheck.run("quantile-check.mjs", "views/quantile-tables.js", "quantiles.js");
    }
}
