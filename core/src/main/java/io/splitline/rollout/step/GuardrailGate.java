package io.splitline.rollout.step;

import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.MetricType;
import io.splitline.rollout.Guardrail;
import io.splitline.rollout.HealthSpec;
import io.splitline.rollout.Rollout;
import io.splitline.stats.GuardrailTest;
import io.splitline.stats.MetricAggregate;
import io.splitline.stats.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The statistical half of a rollout's health: treatment against control on each guardrail metric, from
 * the aggregates of the current stage only (scope {@code s<stageIndex>}: the units exposed during the
 * stage, with the arm they had in it). A guardrail is tested once each arm has
 * {@code minimumUnitsPerArm} units, with the one-sided always-valid {@link GuardrailTest} at the
 * rollout's {@code alpha}, so the step may look at every run without inflating false rollbacks.
 */
public final class GuardrailGate {
    private final GuardrailTest test;

    public GuardrailGate() {
        this(new GuardrailTest());
    }

    public GuardrailGate(GuardrailTest test) {
        this.test = test;
    }

    /**
     * One observation per guardrail of {@code health}, in definition order.
     *
     * @param arms the stage's aggregates by arm ({@link Rollout#CONTROL}, {@link Rollout#TREATMENT});
     *             a missing arm has no units
     */
    public List<GuardrailObservation> evaluate(HealthSpec health, Map<String, VariantAggregates> arms) {
        VariantAggregates control = arms.getOrDefault(Rollout.CONTROL, VariantAggregates.empty(Rollout.CONTROL));
        VariantAggregates treatment = arms.getOrDefault(Rollout.TREATMENT, VariantAggregates.empty(Rollout.TREATMENT));
        List<GuardrailObservation> observations = new ArrayList<>();
        for (Guardrail g : health.guardrails()) {
            Sample c = sample(g, control);
            Sample t = sample(g, treatment);
            boolean applied = control.units() >= health.minimumUnitsPerArm() && treatment.units() >= health.minimumUnitsPerArm();
            if (!applied) {
                observations.add(new GuardrailObservation(g, control.units(), treatment.units(), c.mean(), t.mean(),
                        false, null, null, health.alpha(), false));
                continue;
            }
            GuardrailTest.Verdict verdict = test.evaluate(c, t, g.direction(), health.alpha());
            observations.add(new GuardrailObservation(g, control.units(), treatment.units(), c.mean(), t.mean(),
                    true, verdict.statistic(), verdict.pValue(), health.alpha(), verdict.worse()));
        }
        return observations;
    }

    private static Sample sample(Guardrail g, VariantAggregates arm) {
        MetricAggregate metric = arm.metric(g.metric());
        return g.type() == MetricType.CONVERSION ? metric.proportion(arm.units()) : metric.mean(arm.units());
    }
}
