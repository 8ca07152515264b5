package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's files as the local stack serves them, checked without a browser (so also where there is
 * no Chromium): each file is served with the Content-Type the browser needs (it refuses to run a module
 * script served as anything but JavaScript), and the ES modules fit together: each import names a file
 * that exists and names it exports, each module is reached from app.js, and each module a page or a
 * section list imports whole has the render() that the router and the section lists call.
 */
class DashboardFilesTest {
    static final Path DASHBOARD = dashboardDirectory();
    /** What the browser must be told each kind of file is; a new kind of file needs a line here and in the server. */
    static final Map<String, String> CONTENT_TYPES = Map.of("js", "text/javascript; charset=utf-8",
            "html", "text/html; charset=utf-8", "css", "text/css; charset=utf-8");
    /** config.js is a classic script (the one file people edit); every other .js file is a module. */
    static final String CLASSIC_SCRIPT = "config.js";
    /** The module style this test follows: import { a, b as c } from "./x.js"; or import * as x from "../x.js";. */
    static final Pattern IMPORT = Pattern.compile("^import\\s+(\\{[^}]*\\}|\\*\\s+as\\s+\\w+)\\s+from\\s+\"([^\"]+)\";", Pattern.MULTILINE);
    static final Pattern ANY_IMPORT = Pattern.compile("^import\\b", Pattern.MULTILINE);
    static final Pattern EXPORT = Pattern.compile("^export\\s+(?:async\\s+)?(?:function\\*?|const|let|class)\\s+(\\w+)", Pattern.MULTILINE);

    static LocalHttpServer server;
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        // Static files need no function: a server with none serves the dashboard as the stack does.
        server = new LocalHttpServer(0, Map.of(), "app-key-for-files", "admin-key-for-files", Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyFile_isServedWithItsContentType() throws IOException {
        List<Path> files = files();
        assertTrue(files.stream().anyMatch(f -> f.toString().endsWith(".js") && f.getParent().equals(DASHBOARD.resolve("views"))),
                "the views are found: " + files);
        for (Path file : files) {
            String name = relative(file);
            String expected = CONTENT_TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            assertNotNull(expected, name + " is of no kind the dashboard is made of (add its content type here and in LocalHttpServer)");
            HttpResponse<byte[]> answer = get("/" + name);
            assertEquals(200, answer.statusCode(), name);
            assertEquals(expected, answer.headers().firstValue("content-type").orElse(""), name);
            assertArrayEquals(Files.readAllBytes(file), answer.body(), name);
        }
        assertEquals("text/html; charset=utf-8", get("/").headers().firstValue("content-type").orElse(""), "/ is index.html");
    }

    @Test
    void aDirectory_isNotServed() {
        for (String path : List.of("/lib", "/views", "/views/")) {
            HttpResponse<byte[]> answer = get(path);
            assertEquals(404, answer.statusCode(), path + ": " + new String(answer.body(), StandardCharsets.UTF_8));
            assertEquals("application/json; charset=utf-8", answer.headers().firstValue("content-type").orElse(""), path);
        }
    }

    @Test
    void indexHtml_runsConfigThenTheEntryModule() throws IOException {
        String html = Files.readString(DASHBOARD.resolve("index.html"), StandardCharsets.UTF_8);
        int config = html.indexOf("<script src=\"config.js\"></script>");
        int app = html.indexOf("<script type=\"module\" src=\"app.js\"></script>");
        assertTrue(config >= 0 && app > config, "config.js (classic) must come before the module app.js:\n" + html);
    }

    @Test
    void everyImport_namesAModuleThatExportsIt_andEveryModuleIsReachedFromAppJs() throws IOException {
        Set<Path> reached = new HashSet<>();
        Deque<Path> queue = new ArrayDeque<>(List.of(DASHBOARD.resolve("app.js")));
        while (!queue.isEmpty()) {
            Path module = queue.pop();
            if (!reached.add(module)) {
                continue;
            }
            String source = Files.readString(module, StandardCharsets.UTF_8);
            Matcher imports = IMPORT.matcher(source);
            int count = 0;
            while (imports.find()) {
                count++;
                String what = imports.group(1);
                String specifier = imports.group(2);
                String where = relative(module) + ": import " + what + " from \"" + specifier + "\"";
                assertTrue(specifier.matches("\\.\\.?/.*\\.js"), where + ": a browser needs a relative path with its .js extension");
                Path target = module.getParent().resolve(specifier).normalize();
                assertTrue(target.startsWith(DASHBOARD) && Files.isRegularFile(target), where + ": no such file");
                Set<String> exported = exports(target);
                if (what.startsWith("*")) {
                    assertTrue(exported.contains("render"), where + ": a module imported whole is a page or a section and exports render");
                } else {
                    for (String name : what.substring(1, what.length() - 1).split(",")) {
                        String imported = name.trim().split("\\s+as\\s+")[0];
                        assertTrue(exported.contains(imported), where + ": " + relative(target) + " exports no " + imported
                                + " (it exports " + exported + ")");
                    }
                }
                queue.add(target);
            }
            Matcher all = ANY_IMPORT.matcher(source);
            int statements = 0;
            while (all.find()) {
                statements++;
            }
            assertEquals(statements, count, relative(module) + " has an import this test cannot read; write imports on one line each as "
                    + IMPORT.pattern());
        }
        Set<String> modules = new TreeSet<>();
        for (Path file : files()) {
            if (file.toString().endsWith(".js") && !relative(file).equals(CLASSIC_SCRIPT)) {
                modules.add(relative(file));
            }
        }
        Set<String> reachedNames = new TreeSet<>(reached.stream().map(DashboardFilesTest::relative).toList());
        assertEquals(modules, reachedNames, "every module is imported (directly or not) by app.js, and nothing else is loaded");
    }

    static Set<String> exports(Path module) throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher m = EXPORT.matcher(Files.readString(module, StandardCharsets.UTF_8));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static HttpResponse<byte[]> get(String path) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<Path> files() {
        try (Stream<Path> walk = Files.walk(DASHBOARD)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String relative(Path file) {
        return DASHBOARD.relativize(file).toString().replace('\\', '/');
    }

    /** The dashboard's directory on the test class path (target/classes/dashboard, as packaged into the jar). */
    static Path dashboardDirectory() {
        URL index = LocalHttpServer.class.getResource("/dashboard/index.html");
        if (index == null || !index.getProtocol().equals("file")) {
            throw new IllegalStateException("the dashboard is not a directory on the class path: " + index);
        }
        try {
            return Path.of(index.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
