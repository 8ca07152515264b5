package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a dashboard module's node check ({@code local/src/test/resources/dashboard/<script>} over
 * {@code local/src/main/resources/dashboard/views/<module>}) and requires it to exit 0 printing {@code expected};
 * aborts (skips visibly) without node.
 */
final class NodeModuleCheck {
    private NodeModuleCheck() {
    }

    static void run(String script, String module, String expected) throws Exception {
        Path root = Path.of(System.getProperty("splitline.repoRoot"));
        Process node;
        try {
            node = new ProcessBuilder("node", root.resolve("local/src/test/resources/dashboard/" + script).toString(),
                    root.resolve("local/src/main/resources/dashboard/views/" + module).toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("node is not installed: " + e.getMessage());
            return;
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        node.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, node.exitValue(), output);
        assertEquals(expected, output.strip());
    }
}
