package io.splitline.local;

import org.junit.jupiter.api.Test;

/**
 * The dashboard's CUPED and segments module ({@code dashboard/views/analysis-tables.js}) renders what a results body with
 * {@code cuped} and {@code segments} holds, and nothing without them: {@code analysis-check.mjs} runs it in
 * node over a minimal element tree. The local stack cannot produce such a body until covariates and segment
 * aggregates are recorded, so the browser test does not reach it. Skips visibly without node.
 */
class DashboardAnalysisModuleTest {

    @Test
    void analysisModule_showsCupedBesideTheRawEstimate_andSegmentsAsAnExploratoryDrillDown() throws Exception {
        NodeModuleCheck.run("analysis-check.mjs", "views/analysis-tables.js", "analysis.js");
    }
}
