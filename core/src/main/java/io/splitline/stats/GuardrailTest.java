package io.splitline.stats;

import io.splitline.experiment.Direction;

/**
 * The rollout gate's test: is treatment worse than control on one guardrail metric? A one-sided
 * always-valid test (see {@link SequentialTest#worse}) so that the scheduled step may check it at every
 * run: flagging "worse" whenever {@code pValue <= alpha} at any look keeps the probability of ever
 * flagging a treatment that is not worse at most alpha (Ville's inequality). Only regressions count; a
 * treatment that is better never flags.
 */
public final class GuardrailTest {
    private final SequentialTest sequential;

    public GuardrailTest() {
        this(new SequentialTest());
    }

    public GuardrailTest(SequentialTest sequential) {
        this.sequential = sequential;
    }

    /**
     * @param control   control's summary ({@link ProportionSample} or {@link MeanSample})
     * @param treatment treatment's summary, of the same kind
     * @param direction the metric's good direction (errors, latency: {@link Direction#DECREASE})
     * @param alpha     false-positive budget in (0, 1)
     */
    public Verdict evaluate(Sample control, Sample treatment, Direction direction, double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1)");
        }
        SequentialTest.Result result = sequential.worse(control, treatment, direction);
        return new Verdict(result.statistic(), result.pValue(), result.pValue() <= alpha,
                treatment.mean() - control.mean());
    }

    /**
     * @param statistic  z of the difference, positive when treatment is worse
     * @param pValue     one-sided always-valid p-value
     * @param worse      true when {@code pValue <= alpha}: a significant regression
     * @param difference treatment − control (rate or mean)
     */
    public record Verdict(double statistic, double pValue, boolean worse, double difference) {
    }
}
