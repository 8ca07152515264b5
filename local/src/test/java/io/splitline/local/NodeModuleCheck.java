package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a node script of {@code local/src/test/resources/dashboard} over a dashboard module and expects it to print
 * {@code <what> ok}: how the dashboard's DOM-free modules are checked. Skips visibly without node.
 */
final class NodeModuleCheck {
    private NodeModuleCheck() {
    }

    static void run(String script, String module, String what) throws Exception {
        Path root = Path.of(System.getProperty("splitline.repoRoot"));
        Process node;
        try {
            node = new ProcessBuilder("node", root.resolve("local/src/test/resources/dashboard/" + script).toString(),
                    root.resolve("local/src/main/resources/dashboard/" + module).toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("node is not installed: " + e.getMessage());
            return;
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        node.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, node.exitValue(), output);
        assertEquals(what + " ok", output.strip());
    }
}
