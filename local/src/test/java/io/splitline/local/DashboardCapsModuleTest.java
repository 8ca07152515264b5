package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's capped metrics module ({@code dashboard/views/capped-metrics.js}) shows each capped metric's cap and
 * units above it per variant, and nothing without a cap: {@code caps-check.mjs} runs it in node over a minimal
 * element tree (the browser test's experiments have no capped metric). Skips visibly without node.
 */
class DashboardCapsModuleTest {

    @Test
    void capsModule_showsEachCapAndTheUnitsAboveIt() throws Exception {
        Path root = Path.of(System.getProperty("splitline.repoRoot"));
        Process node;
        try {
            node = new ProcessBuilder("node", root.resolve("local/src/test/resources/dashboard/caps-check.mjs").toString(),
                    root.resolve("local/src/main/resources/dashboard/views/capped-metrics.js").toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("node is not installed: " + e.getMessage());
            return;
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        node.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, node.exitValue(), output);
        assertEquals("capped-metrics.js ok", output.strip());
    }
}
