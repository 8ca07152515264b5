package io.splitline.bench.jmh;

import io.splitline.assignment.Assignment;
import io.splitline.assignment.ExperimentAssigner;
import io.splitline.assignment.UnitHash;
import io.splitline.bench.BenchDefinitions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The assignment hot path without I/O: the GrowthBook v2 hash, hash + bucketing of a 3-arm experiment at
 * 80 % coverage, and the full decision of a targeted, namespaced experiment. Unit ids rotate through 4096
 * distinct values so that nothing is constant-folded and the caches see a realistic spread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AssignmentBenchmarks {
    private static final int UNITS = 4096;

    private String[] units;
    private int next;
    private ExperimentAssigner threeArms;
    private ExperimentAssigner targeted;

    @Setup
    public void setUp() {
        List<String> ids = BenchDefinitions.unitIds(UNITS, 1);
        units = ids.toArray(String[]::new);
        threeArms = ExperimentAssigner.of(BenchDefinitions.running(BenchDefinitions.TEN_EXPERIMENTS.get(1)));
        targeted = ExperimentAssigner.of(BenchDefinitions.running(BenchDefinitions.TEN_EXPERIMENTS.get(2)));
    }

    private String nextUnit() {
        next = (next + 1) & (UNITS - 1);
        return units[next];
    }

    /** {@code v2(seed, unitId)} from the seed string (the seed's half of the hash is not precomputed). */
    @Benchmark
    public double hashV2() {
        return UnitHash.v2("new-ranker", nextUnit());
    }

    /** What one experiment costs on the hot path: hash with the precomputed seed state, then the bucket ranges. */
    @Benchmark
    public Assignment hashAndBucket() {
        return threeArms.assign(nextUnit(), Map.of());
    }

    /** Targeting (plan in …, appVersion semver ≥ 2.3.0), namespace hash v1, then hash v2 and bucketing. */
    @Benchmark
    public Assignment targetedNamespacedDecision() {
        return targeted.assign(nextUnit(), BenchDefinitions.ATTRIBUTES);
    }
}
