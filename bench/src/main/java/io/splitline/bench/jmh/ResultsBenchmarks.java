package io.splitline.bench.jmh;

import io.splitline.aggregate.VariantAggregates;
import io.splitline.bench.BenchDefinitions;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.results.ExperimentResults;
import io.splitline.results.ResultsCalculator;
import io.splitline.stats.MetricAggregate;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
 * The statistics of one results request, 4 variants × 5 metrics, from synthetic aggregates of 250 000
 * units per variant: SRM, per-variant intervals, 15 Holm-adjusted comparisons with lifts, mSPRT, Bayesian
 * view and effect sizes, chi-square across variants, power, recommendation. Aggregates are what the
 * reader returns, so this is everything a results call does after its 17 DynamoDB requests.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ResultsBenchmarks {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private ExperimentSpec spec;
    private List<VariantAggregates> data;

    @Setup
    public void setUp() {
        spec = BenchDefinitions.spec(BenchDefinitions.FOUR_BY_FIVE);
        data = syntheticAggregates(spec, 250_000, 42);
    }

    /** Plausible aggregates for every variant and metric of {@code spec} (seeded, so every run computes the same). */
    public static List<VariantAggregates> syntheticAggregates(ExperimentSpec spec, long unitsPerVariant, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<VariantAggregates> out = new ArrayList<>();
        for (var variant : spec.variants()) {
            long units = unitsPerVariant + random.nextInt(1000);
            Map<String, MetricAggregate> metrics = new LinkedHashMap<>();
            for (var metric : spec.metrics()) {
                double rate = 0.05 + random.nextDouble() * 0.02;
                long positive = Math.round(units * rate);
                if (metric.type() == io.splitline.experiment.MetricType.CONVERSION) {
                    metrics.put(metric.key(), new MetricAggregate(positive, BigDecimal.valueOf(positive), BigDecimal.valueOf(positive)));
                } else {
                    double mean = 40 + random.nextDouble() * 5;
                    BigDecimal sum = BigDecimal.valueOf(Math.round(positive * mean * 100), 2);
                    BigDecimal sumSq = BigDecimal.valueOf(Math.round(positive * (mean * mean + 400) * 100), 2);
                    metrics.put(metric.key(), new MetricAggregate(positive, sum, sumSq));
                }
            }
            out.add(new VariantAggregates(variant.key(), units, metrics));
        }
        return out;
    }

    @Benchmark
    public ExperimentResults compute() {
        return ResultsCalculator.compute(spec, ExperimentStatus.RUNNING, data, NOW);
    }
}
