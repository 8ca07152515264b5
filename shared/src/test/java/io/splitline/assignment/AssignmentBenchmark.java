package io.splitline.assignment;

import java.util.Map;

/**
 * A rough, dependency-free timing of the hot path (not a test: surefire does not run it, and timing
 * assertions have no place in the suite). Run after {@code mvn -pl shared -am test-compile}:
 * {@code java -cp shared/target/classes:shared/target/test-classes:<deps> io.splitline.assignment.AssignmentBenchmark}.
 */
public final class AssignmentBenchmark {
    private static final int UNITS = 1 << 16;

    private AssignmentBenchmark() {
    }

    public static void main(String[] args) {
        String[] units = new String[UNITS];
        for (int i = 0; i < UNITS; i++) {
            units[i] = "user-" + (i * 7919L) + "-" + i;
        }
        ExperimentAssigner plain = ExperimentAssigner.of(TestExperiments.running("new-ranker", new double[] {0.2, 0.3, 0.5}, 0.8));
        ExperimentAssigner targeted = ExperimentAssigner.of(TestExperiments.running("""
                {"key": "checkout-button",
                 "variants": [{"key": "control", "weight": 0.5}, {"key": "green", "weight": 0.5}],
                 "targeting": {"all": [{"attribute": "country", "op": "in", "values": ["DE", "FR"]},
                                       {"attribute": "appVersion", "op": "semver_gte", "value": "2.3.0"}]},
                 "namespace": {"name": "checkout", "start": 0.0, "end": 0.5}}"""));
        Map<String, Object> attributes = Map.of("country", "DE", "appVersion", "2.4.0");
        for (int round = 0; round < 5; round++) {
            System.out.printf("round %d: v2 hash %.0f ns, hash + bucket %.0f ns, targeting + namespace + hash %.0f ns%n", round,
                    time(units, u -> UnitHash.v2("new-ranker", u) < 0.5 ? 1 : 0),
                    time(units, u -> plain.assign(u, Map.of()).inExperiment() ? 1 : 0),
                    time(units, u -> targeted.assign(u, attributes).inExperiment() ? 1 : 0));
        }
    }

    private interface Op {
        int apply(String unit);
    }

    private static double time(String[] units, Op op) {
        int sink = 0;
        int iterations = 40;
        long start = System.nanoTime();
        for (int r = 0; r < iterations; r++) {
            for (String u : units) {
                sink += op.apply(u);
            }
        }
        long elapsed = System.nanoTime() - start;
        if (sink == 42) {
            System.out.print("");
        }
        return (double) elapsed / ((long) iterations * units.length);
    }
}
