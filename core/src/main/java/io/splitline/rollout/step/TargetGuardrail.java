package io.splitline.rollout.step;

import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.Direction;
import io.splitline.experiment.MetricType;
import io.splitline.rollout.Guardrail;
import io.splitline.rollout.HealthSpec;
import io.splitline.rollout.Rollout;
import io.splitline.rollout.traffic.ArmMetricsSource;
import io.splitline.rollout.traffic.ArmTraffic;
import io.splitline.rollout.traffic.LambdaAliasTarget;
import io.splitline.rollout.traffic.RolloutTarget;
import io.splitline.stats.MetricAggregate;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The error rate of a target's arms as a guardrail of the existing {@link GuardrailGate}: each request is
 * a unit and each failed request a conversion, so the gate's one-sided always-valid test compares the
 * treatment's error rate with the control's from CloudWatch counts alone, under the rollout's
 * {@code alpha}, once each arm served {@code minimumUnitsPerArm} requests.
 */
public final class TargetGuardrail {
    private final GuardrailGate gate;

    public TargetGuardrail(GuardrailGate gate) {
        this.gate = gate;
    }

    /** The guardrail's name in decisions: the CloudWatch metric it counts. */
    public static String metric(RolloutTarget target) {
        return target instanceof LambdaAliasTarget ? "AWS/Lambda Errors" : "AWS/SageMaker Invocation5XXErrors";
    }

    /** The error-rate observation of {@code metrics} under the rollout's alpha and minimum per arm. */
    public GuardrailObservation evaluate(RolloutTarget target, HealthSpec health, ArmMetricsSource.ArmMetrics metrics) {
        String metric = metric(target);
        HealthSpec errorsOnly = new HealthSpec(List.of(), List.of(), List.of(), health.minimumDataPoints(),
                List.of(new Guardrail(metric, MetricType.CONVERSION, Direction.DECREASE)),
                health.alpha(), health.minimumUnitsPerArm());
        return gate.evaluate(errorsOnly, Map.of(
                Rollout.CONTROL, arm(Rollout.CONTROL, metric, metrics.control()),
                Rollout.TREATMENT, arm(Rollout.TREATMENT, metric, metrics.treatment()))).get(0);
    }

    /** Every request a unit; a failed request has a total of 1 (so sum and sum of squares are the errors). */
    private static VariantAggregates arm(String name, String metric, ArmTraffic traffic) {
        BigDecimal errors = BigDecimal.valueOf(traffic.errors());
        return new VariantAggregates(name, traffic.invocations(),
                Map.of(metric, new MetricAggregate(traffic.errors(), errors, errors)));
    }
}
