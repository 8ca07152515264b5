package io.splitline.devkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * GrowthBook's JavaScript SDK ({@code @growthbook/growthbook} from npm, version pinned by
 * {@code sdk-check/package-lock.json}) run by Node through {@code sdk-check/evaluate.mjs}. Without
 * Node or npm the caller is skipped, with the reason, or fails when {@code CI} is set.
 */
public final class GrowthBookJs {
    private static final long TIMEOUT_MINUTES = 10;

    private final Path checkDir;
    private final Path node;

    private GrowthBookJs(Path checkDir, Path node) {
        this.checkDir = checkDir;
        this.node = node;
    }

    /** The SDK of the repository at {@code repoRoot}, installed with {@code npm ci} on first use. */
    public static GrowthBookJs install(Path repoRoot) {
        Path dir = repoRoot.resolve("sdk-check");
        String path = System.getenv("PATH");
        Path node = require(locate(path, "node"), "node (Node.js 20 or newer) is not on PATH");
        if (!Files.isDirectory(dir.resolve("node_modules/@growthbook/growthbook"))) {
            Path npm = require(locate(path, "npm"), "npm is not on PATH");
            String failure = run(dir, List.of(npm.toString(), "ci", "--no-audit", "--no-fund")).failure();
            if (failure != null) {
                require(Optional.empty(), "npm ci in sdk-check failed: " + failure);
            }
        }
        return new GrowthBookJs(dir, node);
    }

    /**
     * Runs {@code evaluate.mjs} on {@code input} (payload, features, units) and returns its output
     * lines (one per unit) and its summary line.
     */
    public Evaluation evaluate(Path input, Path output) throws IOException {
        String summary = script("evaluate.mjs", input.toString(), output.toString());
        return new Evaluation(Files.readAllLines(output, StandardCharsets.UTF_8), summary);
    }

    /** Runs a script of {@code sdk-check/} with Node and returns its standard output; throws if it fails. */
    public String script(String name, String... args) {
        List<String> command = new ArrayList<>(List.of(node.toString(), name));
        command.addAll(List.of(args));
        Run run = run(checkDir, command);
        if (run.failure() != null) {
            throw new IllegalStateException(name + " failed: " + run.failure());
        }
        return run.stdout().trim();
    }

    /** What the SDK answered: one tab-separated line per unit, and its JSON summary (speed included). */
    public record Evaluation(List<String> lines, String summary) {
    }

    /** A finished command: its standard output, and the failure's text or null. */
    private record Run(String stdout, String failure) {
    }

    private static Run run(Path dir, List<String> command) {
        try {
            Path out = Files.createTempFile("sdk-check", ".out");
            Path err = Files.createTempFile("sdk-check", ".err");
            try {
                Process process = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    return new Run("", String.join(" ", command) + " did not finish in " + TIMEOUT_MINUTES + " minutes");
                }
                String stdout = Files.readString(out, StandardCharsets.UTF_8);
                return new Run(stdout, process.exitValue() == 0 ? null
                        : "exit " + process.exitValue() + ": " + Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            return new Run("", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run("", "interrupted");
        }
    }

    private static Optional<Path> locate(String pathVariable, String executable) {
        if (pathVariable == null) {
            return Optional.empty();
        }
        for (String dir : pathVariable.split(File.pathSeparator)) {
            Path candidate = dir.isBlank() ? null : Path.of(dir, executable);
            if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Path require(Optional<Path> found, String missing) {
        if (found.isPresent()) {
            return found.get();
        }
        if (Ci.isSet()) {
            throw new IllegalStateException("GrowthBook SDK check: " + missing + "; CI is set, so this fails instead of skipping");
        }
        Assumptions.abort("GrowthBook SDK check: " + missing + "; skipped (set CI=true to make this a failure)");
        throw new AssertionError("unreachable");
    }
}
