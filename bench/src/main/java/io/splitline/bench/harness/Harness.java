package io.splitline.bench.harness;

import io.splitline.bench.Machine;
import io.splitline.devkit.DynamoDbLocal;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * The end-to-end harness: ingest, results and assignment measured against DynamoDB Local, started in
 * this JVM on a loopback port, with the real services and handlers. Prints Markdown tables (the figures
 * of BENCHMARKS.md). Every run is bounded; {@code --smoke} takes seconds and is what CI runs so that the
 * harness cannot rot (it fails on any broken guarantee, never on a timing).
 */
public final class Harness {
    private Harness() {
    }

    public static void main(String[] args) {
        if (System.getProperty("splitline.logLevel") == null) {
            System.setProperty("splitline.logLevel", "WARN"); // the services' INFO lines would drown the tables
        }
        HarnessOptions options;
        try {
            options = HarnessOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        PrintStream out = System.out;
        long start = System.nanoTime();
        out.println("# Splitline harness" + (java.util.List.of(args).contains("--smoke") ? " (smoke run)" : ""));
        out.println();
        out.println("Machine: " + Machine.describe());
        out.println();
        try (DynamoDbLocal dynamoDb = DynamoDbLocal.startInMemory()) {
            Bench bench = new Bench(dynamoDb.endpoint());
            if (options.scenarios().contains("ingest")) {
                new IngestScenario(bench, options, out).run();
            }
            if (options.scenarios().contains("results")) {
                new ResultsScenario(bench, options, out).run();
            }
            if (options.scenarios().contains("assign")) {
                new AssignScenario(bench, options, out).run();
            }
        }
        out.printf(Locale.ROOT, "Done in %.1f s; load average now %s.%n", Duration.ofNanos(System.nanoTime() - start).toMillis() / 1e3,
                Machine.loadAverage());
    }
}
