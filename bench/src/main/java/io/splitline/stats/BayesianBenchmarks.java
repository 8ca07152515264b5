package io.splitline.stats;

import io.splitline.experiment.Direction;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One Bayesian comparison of two conversion rates the size of {@code ResultsBenchmarks}' arms (250 000
 * units, 5.2 % against 5.6 %), by the quadrature ({@link BetaPairIntegrals}) and by the closed form that
 * replaces it past its gate, in the same run; and the public entry point on arms below the gate, the size of
 * {@code ResultsPhases}' segments (1 250 units converting at ~74 %). In the stats package because the
 * quadrature is package-private ({@link BayesianComparison}'s public entry point picks the closed form for
 * arms of 250 000).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BayesianBenchmarks {
    private final ProportionSample control = new ProportionSample(250_400, 13_021);
    private final ProportionSample treatment = new ProportionSample(250_700, 14_039);
    private final BayesianComparison.BetaPosterior c = BayesianComparison.BetaPosterior.of(control);
    private final BayesianComparison.BetaPosterior t = BayesianComparison.BetaPosterior.of(treatment);
    private final ProportionSample segmentControl = new ProportionSample(1_250, 925);
    private final ProportionSample segmentTreatment = new ProportionSample(1_260, 950);

    /** What every comparison would cost without the closed form: P(T &gt; C) and E[(C − T)⁺] by quadrature. */
    @Benchmark
    public double quadrature() {
        return BayesianComparison.probabilityGreater(t, c) + BayesianComparison.expectedShortfall(c, t);
    }

    /** The closed form alone. */
    @Benchmark
    public double closedForm() {
        BetaDifferenceApproximation.Comparison r = BetaDifferenceApproximation.compare(t.a, t.b, c.a, c.b);
        return r.probabilityGreater() + r.expectedShortfall();
    }

    /** The public entry point, as the results use it (gate, then the closed form). */
    @Benchmark
    public BayesianComparison.Result proportions() {
        return BayesianComparison.proportions(control, treatment, Direction.INCREASE);
    }

    /** The public entry point below the gate, on arms the size of a segment's: the quadrature. */
    @Benchmark
    public BayesianComparison.Result segmentArms() {
        return BayesianComparison.proportions(segmentControl, segmentTreatment, Direction.INCREASE);
    }
}
