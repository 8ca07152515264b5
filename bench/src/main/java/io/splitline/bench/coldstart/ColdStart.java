package io.splitline.bench.coldstart;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.bench.BenchDefinitions;
import io.splitline.bench.Machine;
import io.splitline.devkit.DynamoDbLocal;
import io.splitline.devkit.SamTemplate;
import io.splitline.json.Json;
import io.splitline.store.TableNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Measures cold starts the way Lambda produces them: for every run, a fresh JVM runs the AWS Lambda Java
 * runtime client (the one the managed runtimes run) against a loopback emulation of the Runtime API, with
 * the function's jar unpacked as Lambda unpacks a deployment package ({@code LAMBDA_TASK_ROOT}). The time
 * is taken from process start to the arrival of the first response, split at the runtime's first
 * {@code next} call (init over); peak RSS is the process's {@code VmHWM} when the response arrives. The
 * functions' DynamoDB Local runs in this JVM, started and seeded with ten running experiments before any
 * measurement. Subjects are measured in turns (A, B, C, A, B, C, …) so that load on the machine spreads
 * over all of them alike. Used by {@code bench/cold-start.sh}, which passes the JVM flags.
 */
public final class ColdStart {
    private static final String RUNTIME_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final long TIMEOUT_SECONDS = 120;
    private static final long EXIT_GRACE_SECONDS = 120;

    /** A function to measure: its label, deployment jar, handler and extra environment. */
    record Subject(String label, Path jar, String handler, Map<String, String> env) {
    }

    /** One cold start. */
    record Run(long totalNanos, long initNanos, long peakRssKb) {
        long invokeNanos() {
            return totalNanos - initNanos;
        }
    }

    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 10;
        String runtimeClasspath = null;
        List<String> javaOptions = List.of();
        Path eventFile = Path.of("events/assign.json");
        Path work = Path.of("bench/target/cold-start");
        List<Subject> subjects = new ArrayList<>();
        List<Path> reportJars = new ArrayList<>();
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(value);
                case "--runtime-classpath" -> runtimeClasspath = value;
                case "--java-opts" -> javaOptions = value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
                case "--event" -> eventFile = Path.of(value);
                case "--work" -> work = Path.of(value);
                case "--function" -> {
                    // label=jar=handler[=NAME:VALUE,...]
                    String[] parts = value.split("=", 4);
                    Map<String, String> env = new LinkedHashMap<>();
                    if (parts.length == 4) {
                        for (String pair : parts[3].split(",")) {
                            env.put(pair.substring(0, pair.indexOf(':')), pair.substring(pair.indexOf(':') + 1));
                        }
                    }
                    subjects.add(new Subject(parts[0], Path.of(parts[1]), parts[2], env));
                }
                case "--jar" -> reportJars.add(Path.of(value));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (runtimeClasspath == null || subjects.isEmpty()) {
            throw new IllegalArgumentException("need --runtime-classpath and at least one --function label=jar=handler");
        }
        System.setProperty("splitline.logLevel", "WARN");
        new ColdStart().measure(runs, runtimeClasspath, javaOptions, Files.readString(eventFile, StandardCharsets.UTF_8),
                work, subjects, reportJars);
    }

    private void measure(int runs, String runtimeClasspath, List<String> javaOptions, String eventJson, Path work,
                         List<Subject> subjects, List<Path> reportJars) throws Exception {
        System.out.println("# Cold start: fresh JVM to first response (" + runs + " runs each)");
        System.out.println();
        System.out.println("Machine: " + Machine.describe());
        System.out.println("JVM flags: " + String.join(" ", javaOptions));
        System.out.println();
        Map<Subject, Path> taskRoots = new LinkedHashMap<>();
        for (Subject s : subjects) {
            taskRoots.put(s, unpack(s.jar(), work.resolve(s.label())));
        }
        Map<Subject, List<Run>> results = new LinkedHashMap<>();
        subjects.forEach(s -> results.put(s, new ArrayList<>()));
        try (DynamoDbLocal dynamoDb = DynamoDbLocal.startInMemory()) {
            var client = dynamoDb.client();
            TableNames tables = TableNames.fromLogicalIds(SamTemplate.load().createTables(client, "cold_"));
            BenchDefinitions.createRunning(client, tables, Clock.systemUTC(), BenchDefinitions.TEN_EXPERIMENTS);
            Map<String, String> environment = environment(dynamoDb, tables, work);
            for (int run = 1; run <= runs; run++) {
                for (Subject s : subjects) {
                    String event = withBody(eventJson, BenchDefinitions.assignBody("cold-" + s.label() + "-" + run, true));
                    results.get(s).add(once(s, taskRoots.get(s), runtimeClasspath, javaOptions, environment, event,
                            work.resolve(s.label() + ".log")));
                }
                System.err.printf(Locale.ROOT, "run %d/%d done%n", run, runs);
            }
        }
        report(results, reportJars);
    }

    private static Run once(Subject subject, Path taskRoot, String runtimeClasspath, List<String> javaOptions,
                            Map<String, String> environment, String event, Path log) throws Exception {
        try (RuntimeApiEmulator api = new RuntimeApiEmulator(event)) {
            long start = System.nanoTime();
            Process process = launch(subject, taskRoot, runtimeClasspath, javaOptions, environment, api, log);
            try {
                if (!api.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(subject.label() + ": no response within " + TIMEOUT_SECONDS + " s; see " + log);
                }
                long peakRss = peakRssKb(process.pid());
                if (api.error() != null || !api.response().contains("\"statusCode\":200")) {
                    throw new IllegalStateException(subject.label() + " failed: "
                            + (api.error() != null ? api.error() : api.response()) + "; see " + log);
                }
                return new Run(api.responseNanos() - start, api.firstNextNanos() - start, peakRss);
            } finally {
                process.destroy();
                // A run with -XX:ArchiveClassesAtExit (an AppCDS archive) writes it on the way out: let it finish.
                if (!process.waitFor(EXIT_GRACE_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }
    }

    /**
     * Starts the Lambda runtime client in a fresh JVM on {@code subject}'s unpacked jar, asking {@code api} for
     * its invocations; its output goes to {@code log}.
     */
    static Process launch(Subject subject, Path taskRoot, String runtimeClasspath, List<String> javaOptions,
                          Map<String, String> environment, RuntimeApiEmulator api, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.addAll(List.of("-cp", runtimeClasspath, RUNTIME_MAIN, subject.handler()));
        // Lambda starts the runtime in /var/task, and the runtime loads the function from its working directory.
        ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile())
                .redirectErrorStream(true).redirectOutput(log.toAbsolutePath().toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().put("AWS_LAMBDA_RUNTIME_API", api.address());
        builder.environment().put("LAMBDA_TASK_ROOT", taskRoot.toString());
        builder.environment().put("_HANDLER", subject.handler());
        builder.environment().putAll(subject.env());
        return builder.start();
    }

    /** The sandbox environment Lambda gives a function, pointed at DynamoDB Local. */
    static Map<String, String> environment(DynamoDbLocal dynamoDb, TableNames tables, Path work) throws IOException {
        Path home = Files.createDirectories(work.resolve("home")).toAbsolutePath();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", home.toString());
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_SESSION_TOKEN", "local");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java17");
        env.put("AWS_LAMBDA_FUNCTION_NAME", "splitline-cold-start");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/splitline-cold-start");
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "cold-start");
        env.put("LOG_LEVEL", "INFO");
        env.put("DYNAMODB_ENDPOINT", dynamoDb.endpoint().toString());
        env.put("DEFINITIONS_TABLE", tables.definitions());
        env.put("UNITS_TABLE", tables.units());
        env.put("AGGREGATES_TABLE", tables.aggregates());
        env.put("EVENTS_TABLE", tables.events());
        return env;
    }

    private static String withBody(String eventJson, String body) {
        ObjectNode event = (ObjectNode) Json.parseTrusted(eventJson);
        event.put("body", body);
        return Json.write(event);
    }

    /** Unpacks a deployment jar as Lambda unpacks a package into {@code /var/task}. */
    private static Path unpack(Path jar, Path dir) throws IOException {
        Path task = dir.resolve("task").toAbsolutePath();
        if (Files.exists(task)) {
            try (Stream<Path> paths = Files.walk(task)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(task);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                Path target = task.resolve(entry.getName()).normalize();
                if (!target.startsWith(task)) {
                    throw new IOException("entry outside the task root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        return task;
    }

    /** Peak resident set size of a live process, from {@code /proc/<pid>/status}; -1 off Linux. */
    private static long peakRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
        return -1;
    }

    private static void report(Map<Subject, List<Run>> results, List<Path> reportJars) throws IOException {
        Subject baseline = results.keySet().stream().filter(s -> s.label().equals("noop")).findFirst().orElse(null);
        long baselineMedian = baseline == null ? 0 : median(results.get(baseline), Run::totalNanos);
        System.out.println("| function | runs | first response p50 ms | min ms | max ms | init p50 ms | first invoke p50 ms | peak RSS p50 MB | vs noop |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        results.forEach((subject, runs) -> {
            long total = median(runs, Run::totalNanos);
            long min = runs.stream().mapToLong(Run::totalNanos).min().orElseThrow();
            long max = runs.stream().mapToLong(Run::totalNanos).max().orElseThrow();
            System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %s |%n", subject.label(), runs.size(),
                    total / 1e6, min / 1e6, max / 1e6, median(runs, Run::initNanos) / 1e6, median(runs, Run::invokeNanos) / 1e6,
                    median(runs, Run::peakRssKb) / 1024.0,
                    baselineMedian == 0 ? "" : String.format(Locale.ROOT, "%.2fx", (double) total / baselineMedian));
        });
        System.out.println();
        System.out.println("Every run, ms (first response): ");
        results.forEach((subject, runs) -> System.out.println("- " + subject.label() + ": "
                + Arrays.toString(runs.stream().mapToLong(r -> Math.round(r.totalNanos() / 1e6)).toArray())));
        if (!reportJars.isEmpty()) {
            System.out.println();
            System.out.println("| jar | size KiB | entries |");
            System.out.println("|---|---:|---:|");
            for (Path jar : reportJars) {
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    System.out.printf(Locale.ROOT, "| %s | %d | %d |%n", jar, Files.size(jar) / 1024, zip.size());
                }
            }
        }
        System.out.println();
        System.out.println("Load average after: " + Machine.loadAverage());
    }

    private interface Metric {
        long of(Run run);
    }

    private static long median(List<Run> runs, Metric metric) {
        long[] values = runs.stream().mapToLong(metric::of).sorted().toArray();
        return values[(values.length - 1) / 2];
    }
}
