package io.splitline.devkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The repository's sample Lambda events, {@code events/*.json} (what {@code sam local invoke -e} sends), for
 * the tests that drive handlers with them: every file there must be invoked by some test. Found through the
 * {@code splitline.repoRoot} system property, which the build sets for every test.
 */
public final class SampleEvents {
    private SampleEvents() {
    }

    /** The {@code events} directory of the repository. */
    public static Path dir() {
        String root = System.getProperty("splitline.repoRoot");
        if (root == null) {
            throw new IllegalStateException("the splitline.repoRoot system property is not set (the build sets it for tests)");
        }
        return Path.of(root, "events");
    }

    /** The sample event {@code events/<name>}; it must exist. */
    public static Path path(String name) {
        Path file = dir().resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no sample event " + file);
        }
        return file;
    }

    /** The sample events whose file names match {@code pattern}, sorted; there must be some. */
    public static List<Path> matching(String pattern) {
        try (Stream<Path> files = Files.list(dir())) {
            List<Path> events = files.filter(p -> p.getFileName().toString().matches(pattern)).sorted().toList();
            if (events.isEmpty()) {
                throw new IllegalStateException("no sample events " + pattern + " in " + dir());
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
