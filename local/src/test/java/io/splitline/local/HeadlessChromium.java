package io.splitline.local;

import static org.junit.jupiter.api.Assertions.fail;

import io.splitline.devkit.Ci;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * Debian's Chromium, headless: loads a page, lets its scripts run for a virtual-time budget, and gives back
 * the DOM they rendered, what they wrote to the console (uncaught errors and module scripts the browser
 * refused included), and a screenshot. Found as {@code CHROMIUM} or {@code chromium} on the PATH; when
 * it is missing, tests are skipped with a message, except in CI (the {@code CI} variable set) where that is a
 * failure: {@code .ci/run} installs it.
 */
final class HeadlessChromium {
    /** Virtual time the page's scripts get: fetches finish, a few auto-refreshes run. */
    private static final int VIRTUAL_TIME_BUDGET_MS = 15_000;
    /** A wall-clock guard against a hung browser only; a normal load takes a few seconds. */
    private static final long WATCHDOG_SECONDS = 120;

    /** A console line in Chromium's log: {@code [..:INFO:CONSOLE:12] "message", source: http://... (12)}. */
    private static final Pattern CONSOLE = Pattern.compile("CONSOLE[(:]\\d*\\)?\\] \"(.*)\", source: (\\S*)");

    private final Path binary;

    /** What a page showed: the DOM its scripts rendered and every console message, each with its source. */
    record Page(Document dom, List<String> console) {
    }

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    /** Why there is no browser, and what to install: the skip message. */
    static final String MISSING = "no Chromium: install Debian's package (apt-get install -y chromium) or set CHROMIUM to the"
            + " binary; the headless-browser test is skipped";

    /**
     * The browser, or none (then each test is skipped with {@link #MISSING}); under {@link Ci} a missing
     * browser fails instead.
     */
    static Optional<HeadlessChromium> find() {
        Optional<Path> found = locate();
        if (found.isEmpty() && Ci.isSet()) {
            fail(MISSING + " (CI is set, so the dashboard test must run instead)");
        }
        return found.map(HeadlessChromium::new);
    }

    private static Optional<Path> locate() {
        String configured = System.getenv("CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String pathVariable = System.getenv("PATH");
        if (pathVariable == null) {
            return Optional.empty();
        }
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "chromium");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Loads {@code url}, writes a 1280×{@code height} screenshot to {@code screenshot}, and answers the DOM as
     * it was when the virtual-time budget ran out, with the console messages written until then.
     */
    Page render(URI url, Path screenshot, int height) {
        Path work = null;
        try {
            work = Files.createTempDirectory("splitline-chromium");
            Files.createDirectories(screenshot.toAbsolutePath().getParent());
            Path dom = work.resolve("dom.html");
            Path log = work.resolve("chromium.log");
            List<String> command = new ArrayList<>(List.of(binary.toString(),
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + work.resolve("profile"),
                    "--enable-logging=stderr", "--v=0", // console messages go to the log
                    "--virtual-time-budget=" + VIRTUAL_TIME_BUDGET_MS,
                    "--window-size=1280," + height,
                    "--screenshot=" + screenshot.toAbsolutePath(),
                    "--dump-dom", url.toString()));
            Process process = new ProcessBuilder(command)
                    .redirectOutput(dom.toFile())
                    .redirectError(log.toFile())
                    .start();
            if (!process.waitFor(WATCHDOG_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("Chromium did not finish loading " + url + " within " + WATCHDOG_SECONDS + " s; its log:\n" + tail(log));
            }
            if (process.exitValue() != 0) {
                fail("Chromium exited with " + process.exitValue() + " loading " + url + "; its log:\n" + tail(log));
            }
            String html = Files.readString(dom, StandardCharsets.UTF_8);
            if (html.isBlank()) {
                fail("Chromium printed no DOM for " + url + "; its log:\n" + tail(log));
            }
            return new Page(Jsoup.parse(html, url.toString()), console(log));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + binary, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Chromium loaded " + url, e);
        } finally {
            deleteQuietly(work);
        }
    }

    private static List<String> console(Path log) throws IOException {
        List<String> messages = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher m = CONSOLE.matcher(line);
            if (m.find()) {
                messages.add(m.group(1) + " (" + m.group(2) + ")");
            }
        }
        return messages;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.contains("dbus")) // the container has no D-Bus; Chromium says so at length
                .toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary profile is harmless
        }
    }
}
