package io.splitline.rollout.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.json.Json;
import io.splitline.rollout.Rollout;
import io.splitline.rollout.RolloutAction;
import io.splitline.rollout.RolloutJson;
import io.splitline.rollout.traffic.LambdaAliasTarget;
import io.splitline.rollout.traffic.RolloutTarget;
import io.splitline.rollout.traffic.SageMakerVariantsTarget;
import io.splitline.rollout.traffic.TargetJson;
import io.splitline.rollout.traffic.TrafficReading;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure rules tying a target's split to the stored rollout. */
public class TrafficPlanTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final LambdaAliasTarget LAMBDA = new LambdaAliasTarget("ranker", "live", "3", "4");
    private static final SageMakerVariantsTarget SAGEMAKER = new SageMakerVariantsTarget("ranker", "blue", "green");

    /** A 5 → 50 → 100 % rollout of {@code target}, started and promoted to stage {@code stage}. */
    public static Rollout inProgressAt(int stage, RolloutTarget target) {
        Rollout r = RolloutAction.START.applyTo(Rollout.draft(RolloutJson.parseSpec(Json.parse("""
                {"key": "ranker-v2", "stages": [{"percent": 5, "bake": "PT10M"}, {"percent": 50, "bake": "PT10M"},
                 {"percent": 100, "bake": "PT0S"}], "target": %s}""".formatted(TargetJson.toJson(target)))), T0, "ada"), T0, "ada");
        for (int i = 0; i < stage; i++) {
            r = RolloutAction.PROMOTE.applyTo(r, T0, "ada");
        }
        return r;
    }

    private static TrafficReading reading(Map<String, Double> shares) {
        return new TrafficReading(shares, "InService", true, null, Map.of(), List.of(), Duration.ofMinutes(2));
    }

    @Test
    void desiredShare_isAFunctionOfTheStoredState() {
        Rollout at50 = inProgressAt(1, LAMBDA);
        assertEquals(Optional.of(0.5), TrafficPlan.desiredTreatmentShare(at50));
        assertEquals(Optional.empty(), TrafficPlan.desiredTreatmentShare(RolloutAction.PAUSE.applyTo(at50, T0, "ada")));
        assertEquals(Optional.of(0.0), TrafficPlan.desiredTreatmentShare(RolloutAction.ABORT.applyTo(at50, T0, "ada")));
        assertEquals(Optional.of(1.0), TrafficPlan.desiredTreatmentShare(
                RolloutAction.PROMOTE.applyTo(RolloutAction.PROMOTE.applyTo(at50, T0, "ada"), T0, "ada")));
    }

    @Test
    void ownStates_areNotDrift_evenWhenTheLastWriteHasNotLandedYet() {
        Rollout at50 = inProgressAt(1, LAMBDA);
        for (double share : new double[]{0.0, 0.05, 0.5}) {
            assertEquals(Optional.empty(), TrafficPlan.drift(at50, LAMBDA, reading(Map.of("3", 1 - share, "4", share))),
                    "share " + share);
        }
    }

    @Test
    void anotherVersion_aWeightNeverSet_orAMissingVariant_isDrift() {
        Rollout at50 = inProgressAt(1, LAMBDA);
        String newVersion = TrafficPlan.drift(at50, LAMBDA, reading(Map.of("7", 1.0))).orElseThrow();
        assertTrue(newVersion.contains("100% of the traffic goes to 7"), newVersion);
        String weight = TrafficPlan.drift(at50, LAMBDA, reading(Map.of("3", 0.9, "4", 0.1))).orElseThrow();
        assertTrue(weight.contains("the treatment gets 10%, a share this rollout never set"), weight);
        // 100 % is only this rollout's once it reached the last stage
        assertTrue(TrafficPlan.drift(at50, LAMBDA, reading(Map.of("4", 1.0))).isPresent());
        assertEquals(Optional.empty(), TrafficPlan.drift(inProgressAt(2, LAMBDA), LAMBDA, reading(Map.of("4", 1.0))));

        Rollout endpoint = inProgressAt(0, SAGEMAKER);
        String gone = TrafficPlan.drift(endpoint, SAGEMAKER, reading(Map.of("blue", 1.0))).orElseThrow();
        assertTrue(gone.contains("the treatment variant green is gone"), gone);
        assertEquals(Optional.empty(), TrafficPlan.drift(endpoint, SAGEMAKER, reading(Map.of("blue", 0.95, "green", 0.05))));
    }
}
