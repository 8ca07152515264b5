package io.splitline.rollout.traffic.aws;

import io.splitline.rollout.traffic.LambdaAliasTarget;
import io.splitline.rollout.traffic.RolloutTarget;
import io.splitline.rollout.traffic.TargetRetryException;
import io.splitline.rollout.traffic.TrafficControl;
import io.splitline.rollout.traffic.TrafficReading;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.SnapStartApplyOn;
import software.amazon.awssdk.services.lambda.model.SnapStartOptimizationStatus;
import software.amazon.awssdk.services.lambda.model.State;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

/**
 * Drives a {@link LambdaAliasTarget} with two reads and at most one write per step: {@code GetAlias} (the
 * split and its {@code RevisionId}), {@code GetFunctionConfiguration} of the treatment version (its
 * {@code State}, SnapStart optimisation and timeout), and {@code UpdateAlias} carrying the
 * {@code RevisionId} read, so that an alias changed in between (a deployment, another step) is never
 * overwritten: Lambda answers {@code PreconditionFailedException} and the next step reads again.
 *
 * <p>Below 100 % the alias points at the control version and routes the treatment's share to the
 * treatment version; at 100 % it points at the treatment version alone, which is also how a completed
 * rollout leaves it.
 */
public final class LambdaAliasControl implements TrafficControl {
    private final LambdaClient lambda;

    public LambdaAliasControl(LambdaClient lambda) {
        this.lambda = lambda;
    }

    @Override
    public boolean handles(RolloutTarget target) {
        return target instanceof LambdaAliasTarget;
    }

    @Override
    public TrafficReading read(RolloutTarget target) {
        LambdaAliasTarget t = (LambdaAliasTarget) target;
        try {
            GetAliasResponse alias = lambda.getAlias(b -> b.functionName(t.functionName()).name(t.alias()));
            GetFunctionConfigurationResponse treatment = lambda.getFunctionConfiguration(
                    b -> b.functionName(t.functionName()).qualifier(t.treatmentVersion()));
            return new TrafficReading(shares(alias), "version " + alias.functionVersion(), true, alias.revisionId(),
                    Map.of(), notReady(t, treatment), lag(treatment));
        } catch (TooManyRequestsException e) {
            throw new TargetRetryException("Lambda throttled the read of " + t.describe(), e);
        }
    }

    /** The primary version gets what the routing config does not send elsewhere. */
    private static Map<String, Double> shares(GetAliasResponse alias) {
        Map<String, Double> routed = alias.routingConfig() == null ? Map.of()
                : alias.routingConfig().additionalVersionWeights();
        Map<String, Double> shares = new HashMap<>(routed);
        double rest = 1.0 - routed.values().stream().mapToDouble(Double::doubleValue).sum();
        shares.merge(alias.functionVersion(), rest, Double::sum);
        return shares;
    }

    private static List<String> notReady(LambdaAliasTarget t, GetFunctionConfigurationResponse treatment) {
        List<String> notReady = new ArrayList<>();
        if (treatment.state() != State.ACTIVE) {
            notReady.add("treatment version " + t.treatmentVersion() + " is " + treatment.stateAsString() + ", not Active"
                    + (treatment.stateReason() == null ? "" : " (" + treatment.stateReason() + ")"));
        }
        var snapStart = treatment.snapStart();
        if (snapStart != null && snapStart.applyOn() == SnapStartApplyOn.PUBLISHED_VERSIONS
                && snapStart.optimizationStatus() != SnapStartOptimizationStatus.ON) {
            notReady.add("the SnapStart optimisation of treatment version " + t.treatmentVersion() + " is "
                    + snapStart.optimizationStatusAsString() + ", not On");
        }
        return notReady;
    }

    /** A request is counted when it ends, up to the function's timeout after it began. */
    private static Duration lag(GetFunctionConfigurationResponse treatment) {
        Duration timeout = Duration.ofSeconds(treatment.timeout() == null ? 0 : treatment.timeout());
        return timeout.compareTo(TrafficReading.MINIMUM_LAG) > 0 ? timeout : TrafficReading.MINIMUM_LAG;
    }

    @Override
    public void shift(RolloutTarget target, TrafficReading reading, double treatmentShare) {
        LambdaAliasTarget t = (LambdaAliasTarget) target;
        Weights.requireShare(treatmentShare);
        boolean treatmentOnly = treatmentShare >= 1.0;
        String primary = treatmentOnly ? t.treatmentVersion() : t.controlVersion();
        // An empty map removes the routing; Lambda takes weights in [0, 1), so 100 % is a primary change.
        Map<String, Double> weights = treatmentOnly || treatmentShare == 0.0 ? Map.of()
                : Map.of(t.treatmentVersion(), treatmentShare);
        try {
            lambda.updateAlias(b -> b.functionName(t.functionName()).name(t.alias()).functionVersion(primary)
                    .routingConfig(r -> r.additionalVersionWeights(weights)).revisionId(reading.revision()));
        } catch (PreconditionFailedException | ResourceConflictException e) {
            throw new TargetRetryException(t.describe() + " changed since it was read (RevisionId " + reading.revision() + ")", e);
        } catch (TooManyRequestsException e) {
            throw new TargetRetryException("Lambda throttled the update of " + t.describe(), e);
        }
    }
}
