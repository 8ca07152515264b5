package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.devkit.SamTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every environment variable a function's code reads is declared for that function in
 * {@code template.yaml}, and nothing else is: SAM's {@code --env-vars} only overrides declared variables,
 * and AWS only sets declared ones. "Reads" is found in the sources: the classes a function reaches
 * (its own module, then every class of the library modules named by a class already reached, plus the classes
 * loaded as services) and, in them, the names passed to {@code System.getenv}, {@code env(...)} and the
 * wiring's settings ({@code seconds}/{@code days}), and the string constants of classes that read the
 * environment. {@code AWS_*} variables are Lambda's own (reserved: a template may not declare them).
 */
class TemplateEnvironmentTest {
    private static final Path ROOT = Path.of(System.getProperty("splitline.repoRoot"));
    private static final Pattern SETTING = Pattern.compile("(?:getenv|env|seconds|days|minutes)\\(\"([A-Z][A-Z0-9_]*)\"");
    private static final Pattern CONSTANT = Pattern.compile("\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\"");
    /**
     * Splits a source into its words: a class name is one of them exactly where {@code \bName\b} finds it (word
     * characters as {@code \w}, ASCII), so a lookup per word replaces a regex per (source, class) pair.
     */
    private static final Pattern NON_WORD = Pattern.compile("\\W+");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    @Test
    void everyVariableAFunctionReads_isDeclaredForThatFunction() {
        SamTemplate template = SamTemplate.load(ROOT.resolve("template.yaml"));
        Map<String, String> shared = librarySources();
        List<String> functions = template.resourcesOfType("AWS::Serverless::Function");
        assertEquals(6, functions.size(), functions.toString());
        for (String function : functions) {
            String codeUri = (String) template.properties(function).get("CodeUri");
            Path module = ROOT.resolve(codeUri.substring(0, codeUri.indexOf("/target/")));
            Set<String> read = read(reached(sources(module.resolve("src/main/java")), shared));

            assertEquals(read, declared(template, function), function + " (" + module + ")");
        }
    }

    @Test
    void theScan_findsTheVariablesKnownToBeRead() {
        Map<String, String> shared = librarySources();
        Set<String> step = read(reached(sources(ROOT.resolve("functions/rollout-step/src/main/java")), shared));
        Set<String> results = read(reached(sources(ROOT.resolve("functions/results/src/main/java")), shared));

        assertTrue(step.containsAll(Set.of("DYNAMODB_ENDPOINT", "CLOUDWATCH_ENDPOINT", "EVENTBRIDGE_ENDPOINT",
                "EVENT_BUS_NAME", "DEFINITIONS_TABLE", "LOG_LEVEL")), step.toString());
        assertTrue(!results.contains("CLOUDWATCH_ENDPOINT") && results.contains("DYNAMODB_ENDPOINT"), results.toString());
    }

    @SuppressWarnings("unchecked")
    private static Set<String> declared(SamTemplate template, String function) {
        Set<String> names = new TreeSet<>();
        Map<String, Object> globals = (Map<String, Object>) ((Map<String, Object>) template.root().get("Globals")).get("Function");
        for (Map<String, Object> scope : List.of(globals, template.properties(function))) {
            Map<String, Object> environment = (Map<String, Object>) scope.get("Environment");
            if (environment != null) {
                names.addAll(((Map<String, Object>) environment.get("Variables")).keySet());
            }
        }
        return names;
    }

    /** The function's own classes and every shared class they reach by name, comments left out. */
    private static Map<String, String> reached(Map<String, String> own, Map<String, String> shared) {
        Map<String, String> reached = new HashMap<>(own);
        Deque<String> todo = new ArrayDeque<>(own.values());
        for (String service : services()) {
            reached.put(service, shared.get(service));
            todo.add(shared.get(service));
        }
        while (!todo.isEmpty()) {
            for (String word : NON_WORD.split(todo.pop())) {
                if (!reached.containsKey(word) && shared.containsKey(word)) {
                    reached.put(word, shared.get(word));
                    todo.add(shared.get(word));
                }
            }
        }
        return reached;
    }

    private static Set<String> read(Map<String, String> classes) {
        Set<String> names = new TreeSet<>();
        for (String code : classes.values()) {
            Matcher setting = SETTING.matcher(code);
            while (setting.find()) {
                names.add(setting.group(1));
            }
            // A name held in a constant counts where the code reads the environment or a setting with it.
            if (code.contains("System.getenv(") || code.contains(".minutes(") || code.contains("Settings.env(")) {
                Matcher constant = CONSTANT.matcher(code);
                while (constant.find()) {
                    names.add(constant.group(1));
                }
            }
        }
        names.removeIf(n -> n.startsWith("AWS_"));
        return names;
    }

    /** The classes of the library modules the functions are built from (core, api, runtime and the adapters). */
    private static Map<String, String> librarySources() {
        Map<String, String> classes = new HashMap<>();
        for (String module : List.of("core", "api", "runtime", "dynamodb", "cloudwatch", "eventbridge", "s3", "traffic")) {
            classes.putAll(sources(ROOT.resolve(module).resolve("src/main/java")));
        }
        return classes;
    }

    /** Simple class name to source without comments. */
    private static Map<String, String> sources(Path dir) {
        Map<String, String> classes = new HashMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String name = file.getFileName().toString().replace(".java", "");
                classes.put(name, COMMENT.matcher(Files.readString(file)).replaceAll(""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return classes;
    }

    /** Classes {@code runtime} registers as services (loaded by name, never referenced). */
    private static List<String> services() {
        Path dir = ROOT.resolve("runtime/src/main/resources/META-INF/services");
        try (Stream<Path> files = Files.list(dir)) {
            return files.flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(l -> l.substring(l.lastIndexOf('.') + 1)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
