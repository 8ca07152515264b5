package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's quantiles module ({@code dashboard/views/quantile-tables.js}) renders what a results body with
 * {@code quantileMetrics} and {@code percentileCaps} holds, and nothing without them: {@code quantile-check.mjs}
 * runs it in node over a minimal element tree. Skips visibly without node.
 */
class DashboardQuantileModuleTest {

    @Test
    void quantilesModule_showsEachVariantsQuantiles_theirDifferencesFromControl_andTheCaps() throws Exception {
        Path root = Path.of(System.getProperty("splitline.repoRoot"));
        Process node;
        try {
            node = new ProcessBuilder("node", root.resolve("local/src/test/resources/dashboard/quantile-check.mjs").toString(),
                    root.resolve("local/src/main/resources/dashboard/views/quantile-tables.js").toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("node is not installed: " + e.getMessage());
            return;
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        node.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, node.exitValue(), output);
        assertEquals("quantiles.js ok", output.strip());
    }
}
