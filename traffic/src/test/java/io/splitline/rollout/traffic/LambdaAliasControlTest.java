package io.splitline.rollout.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.rollout.step.TargetStep;
import io.splitline.rollout.step.TrafficPlanTest;
import io.splitline.rollout.traffic.aws.LambdaAliasControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetAliasRequest;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationRequest;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.SnapStartApplyOn;
import software.amazon.awssdk.services.lambda.model.SnapStartOptimizationStatus;
import software.amazon.awssdk.services.lambda.model.State;
import software.amazon.awssdk.services.lambda.model.UpdateAliasRequest;
import software.amazon.awssdk.services.lambda.model.UpdateAliasResponse;

/**
 * The Lambda adapter against a client fake that enforces the two rules moto does not: every update
 * changes the alias's {@code RevisionId} and an update carrying a stale one is refused
 * ({@code PreconditionFailedException}), and routing weights must be in [0, 1).
 */
class LambdaAliasControlTest {
    private static final LambdaAliasTarget TARGET = new LambdaAliasTarget("ranker", "live", "3", "4");

    /** An alias as Lambda keeps it, with Lambda's revision and weight rules. */
    static final class StrictLambda implements LambdaClient {
        String version = "3";
        Map<String, Double> weights = Map.of();
        int revision = 1;
        State state = State.ACTIVE;
        SnapStartApplyOn snapStart = SnapStartApplyOn.NONE;
        SnapStartOptimizationStatus optimization = SnapStartOptimizationStatus.OFF;
        int timeout = 30;
        final List<UpdateAliasRequest> updates = new ArrayList<>();

        @Override
        public GetAliasResponse getAlias(GetAliasRequest request) {
            return GetAliasResponse.builder().name(request.name()).functionVersion(version)
                    .routingConfig(r -> r.additionalVersionWeights(weights)).revisionId("rev-" + revision).build();
        }

        @Override
        public GetFunctionConfigurationResponse getFunctionConfiguration(GetFunctionConfigurationRequest request) {
            return GetFunctionConfigurationResponse.builder().version(request.qualifier()).state(state).timeout(timeout)
                    .snapStart(s -> s.applyOn(snapStart).optimizationStatus(optimization)).build();
        }

        @Override
        public UpdateAliasResponse updateAlias(UpdateAliasRequest request) {
            updates.add(request);
            if (request.revisionId() != null && !request.revisionId().equals("rev-" + revision)) {
                throw PreconditionFailedException.builder().message("The RevisionId provided does not match the latest RevisionId").build();
            }
            Map<String, Double> routing = request.routingConfig() == null ? weights : request.routingConfig().additionalVersionWeights();
            for (double w : routing.values()) {
                if (!(w >= 0.0 && w < 1.0)) {
                    throw InvalidParameterValueException.builder().message("weight " + w + " outside [0, 1)").build();
                }
            }
            version = request.functionVersion();
            weights = new HashMap<>(routing);
            revision++;
            return UpdateAliasResponse.builder().functionVersion(version).revisionId("rev-" + revision).build();
        }

        /** Another writer changes the alias (same split, new revision). */
        void touch() {
            revision++;
        }

        @Override
        public String serviceName() {
            return "lambda";
        }

        @Override
        public void close() {
        }
    }

    private final StrictLambda lambda = new StrictLambda();
    private final LambdaAliasControl control = new LambdaAliasControl(lambda);

    @Test
    void shift_carriesTheRevisionRead_andAStaleOneIsRetriedNotForced() {
        // given a reading, then another writer's update
        TrafficReading reading = control.read(TARGET);
        lambda.touch();

        // when the adapter shifts from the stale reading
        TargetRetryException stale = assertThrows(TargetRetryException.class, () -> control.shift(TARGET, reading, 0.05));

        // then Lambda refused it and nothing changed; a fresh reading succeeds
        assertTrue(stale.getMessage().contains("changed since it was read"), stale.getMessage());
        assertEquals(Map.of(), lambda.weights);
        control.shift(TARGET, control.read(TARGET), 0.05);
        assertEquals(Map.of("4", 0.05), lambda.weights);
        assertEquals("3", lambda.version);
        assertEquals(2, lambda.updates.size());
    }

    @Test
    void reconcile_afterAConflict_convergesOnTheNextStep() {
        TargetStep step = new TargetStep(new TrafficControls(List.of(control)), (t, from, to) -> null, null);
        var rollout = TrafficPlanTest.inProgressAt(1, TARGET);
        TrafficReading stale = control.read(TARGET);
        lambda.touch();

        String first = step.reconcile(rollout, stale);
        String second = step.reconcile(rollout, control.read(TARGET));
        String third = step.reconcile(rollout, control.read(TARGET));

        assertTrue(first.contains("the next step retries"), first);
        assertEquals("target moved to 50%", second);
        assertEquals("target already at 50%", third);
        assertEquals(Map.of("4", 0.5), lambda.weights);
        assertEquals(2, lambda.updates.size(), "one refused, one applied, none once converged");
    }

    @Test
    void fullShare_makesTheTreatmentThePrimary_andZeroRemovesTheRouting() {
        control.shift(TARGET, control.read(TARGET), 1.0);
        assertEquals("4", lambda.version);
        assertEquals(Map.of(), lambda.weights);
        assertEquals(1.0, control.read(TARGET).share("4"));

        control.shift(TARGET, control.read(TARGET), 0.0);
        assertEquals("3", lambda.version);
        assertEquals(Map.of(), lambda.weights);
    }

    @Test
    void invalidShares_areRefusedBeforeAnyCall() {
        TrafficReading reading = control.read(TARGET);
        for (double share : new double[]{-0.01, 1.01, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> control.shift(TARGET, reading, share), "share " + share);
        }
        assertEquals(List.of(), lambda.updates);
    }

    @Test
    void read_saysWhyTheTreatmentIsNotReady_andTheLagCoversTheTimeout() {
        assertEquals(List.of(), control.read(TARGET).notReady());
        assertEquals(Duration.ofMinutes(2), control.read(TARGET).metricsLag());

        lambda.state = State.PENDING;
        lambda.snapStart = SnapStartApplyOn.PUBLISHED_VERSIONS;
        lambda.timeout = 900;
        TrafficReading reading = control.read(TARGET);

        assertEquals(List.of("treatment version 4 is Pending, not Active",
                "the SnapStart optimisation of treatment version 4 is Off, not On"), reading.notReady());
        assertEquals(Duration.ofMinutes(15), reading.metricsLag());
        lambda.state = State.ACTIVE;
        lambda.optimization = SnapStartOptimizationStatus.ON;
        assertEquals(List.of(), control.read(TARGET).notReady());
    }

    @Test
    void read_givesThePrimaryWhatTheRoutingLeaves() {
        lambda.weights = Map.of("4", 0.25);
        TrafficReading reading = control.read(TARGET);
        assertEquals(0.75, reading.share("3"), 1e-12);
        assertEquals(0.25, reading.share("4"), 1e-12);
        assertEquals("rev-1", reading.revision());
    }
}
