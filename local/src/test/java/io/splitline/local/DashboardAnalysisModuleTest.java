package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
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
        Path root = Path.of(System.getProperty("splitline.repoRoot"));
        Process node;
        try {
            node = new ProcessBuilder("node", root.resolve("local/src/test/resources/dashboard/analysis-check.mjs").toString(),
                    root.resolve("local/src/main/resources/dashboard/views/analysis-tables.js").toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("node is not installed: " + e.getMessage());
            return;
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        node.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, node.exitValue(), output);
        assertEquals("analysis.js ok", output.strip());
    }
}
