package io.splitline.bench.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the harness runs, from its command line. Every run is bounded: by event count and wall-clock
 * budget for ingest, by the listed sizes for results, by call count for assignment.
 *
 * @param scenarios      any of {@code ingest}, {@code results}, {@code assign}, in that order
 * @param batchSizes     ingest batch sizes
 * @param ingestEvents   events sent per batch size (at most)
 * @param ingestBudget   wall-clock budget per batch size; the run stops at whichever limit comes first
 * @param resultSizes    ingested-event counts at which results are timed (ascending, loaded cumulatively)
 * @param resultsCalls   timed results calls per size
 * @param baselineCalls  timed scan-baseline calls per size (0: no baseline, only the results read)
 * @param assignWarmup   untimed warm-up calls before each assignment measurement
 * @param assignCalls    timed calls per assignment measurement
 * @param seed           seed of all generated traffic
 */
record HarnessOptions(Set<String> scenarios, List<Integer> batchSizes, int ingestEvents, Duration ingestBudget,
                      List<Long> resultSizes, int resultsCalls, int baselineCalls, int assignWarmup, int assignCalls,
                      long seed) {
    static final Set<String> SCENARIOS = Set.of("ingest", "results", "assign");

    static final String USAGE = """
            usage: java -cp benchmarks.jar io.splitline.bench.harness.Harness [options]
              --smoke                    seconds-long run of every scenario (what CI runs)
              --scenarios LIST           ingest,results,assign (default: all)
              --batch-sizes LIST         ingest batch sizes (default 1,25,500)
              --ingest-events N          events per batch size, at most (default 20000)
              --ingest-seconds S         wall-clock budget per batch size (default 60)
              --results-sizes LIST       event counts for results (default 10000,100000,1000000)
              --results-calls N          timed results calls per size (default 30)
              --baseline-calls N         timed scan-baseline calls per size, 0 for none (default 3)
              --assign-warmup N          warm-up calls per assignment measurement (default 20000)
              --assign-calls N           timed calls per assignment measurement (default 20000)
              --seed N                   traffic seed (default 42)""";

    static HarnessOptions defaults() {
        return new HarnessOptions(new LinkedHashSet<>(List.of("ingest", "results", "assign")), List.of(1, 25, 500), 20_000,
                Duration.ofSeconds(60), List.of(10_000L, 100_000L, 1_000_000L), 30, 3, 20_000, 20_000, 42);
    }

    static HarnessOptions smoke() {
        return new HarnessOptions(new LinkedHashSet<>(List.of("ingest", "results", "assign")), List.of(1, 25, 500), 500,
                Duration.ofSeconds(5), List.of(1_000L, 3_000L), 3, 1, 500, 500, 42);
    }

    static HarnessOptions parse(String... args) {
        HarnessOptions base = List.of(args).contains("--smoke") ? smoke() : defaults();
        Set<String> scenarios = base.scenarios;
        List<Integer> batchSizes = base.batchSizes;
        int ingestEvents = base.ingestEvents;
        Duration ingestBudget = base.ingestBudget;
        List<Long> resultSizes = base.resultSizes;
        int resultsCalls = base.resultsCalls;
        int baselineCalls = base.baselineCalls;
        int assignWarmup = base.assignWarmup;
        int assignCalls = base.assignCalls;
        long seed = base.seed;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--smoke")) {
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            switch (name) {
                case "--scenarios" -> scenarios = scenarios(value);
                case "--batch-sizes" -> batchSizes = positiveList(name, value).stream().map(Math::toIntExact).toList();
                case "--ingest-events" -> ingestEvents = Math.toIntExact(positive(name, value));
                case "--ingest-seconds" -> ingestBudget = Duration.ofSeconds(positive(name, value));
                case "--results-sizes" -> resultSizes = ascending(name, positiveList(name, value));
                case "--results-calls" -> resultsCalls = Math.toIntExact(positive(name, value));
                case "--baseline-calls" -> baselineCalls = Math.toIntExact(nonNegative(name, value));
                case "--assign-warmup" -> assignWarmup = Math.toIntExact(positive(name, value));
                case "--assign-calls" -> assignCalls = Math.toIntExact(positive(name, value));
                case "--seed" -> seed = number(name, value);
                default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
            }
        }
        return new HarnessOptions(scenarios, batchSizes, ingestEvents, ingestBudget, resultSizes, resultsCalls,
                baselineCalls, assignWarmup, assignCalls, seed);
    }

    private static Set<String> scenarios(String value) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String s : value.split(",")) {
            String name = s.trim();
            if (!SCENARIOS.contains(name)) {
                throw new IllegalArgumentException("unknown scenario '" + name + "'; use ingest, results or assign");
            }
            chosen.add(name);
        }
        return chosen;
    }

    private static List<Long> positiveList(String name, String value) {
        List<Long> values = new ArrayList<>();
        for (String s : value.split(",")) {
            values.add(positive(name, s.trim()));
        }
        return values;
    }

    private static List<Long> ascending(String name, List<Long> values) {
        for (int i = 1; i < values.size(); i++) {
            if (values.get(i) <= values.get(i - 1)) {
                throw new IllegalArgumentException(name + " must be ascending (loads are cumulative)");
            }
        }
        return values;
    }

    private static long positive(String name, String value) {
        long n = number(name, value);
        if (n <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return n;
    }

    private static long nonNegative(String name, String value) {
        long n = number(name, value);
        if (n < 0) {
            throw new IllegalArgumentException(name + " must be 0 or more, got " + value);
        }
        return n;
    }

    private static long number(String name, String value) {
        try {
            return Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
        }
    }
}
