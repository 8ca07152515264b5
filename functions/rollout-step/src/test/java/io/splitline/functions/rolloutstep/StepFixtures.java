package io.splitline.functions.rolloutstep;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.json.Json;
import io.splitline.json.JsonValues;
import io.splitline.rollout.Decision;
import io.splitline.rollout.Rollout;
import io.splitline.rollout.RolloutAction;
import io.splitline.rollout.RolloutDecision;
import io.splitline.rollout.RolloutJson;
import io.splitline.rollout.step.RolloutDecider;
import java.time.Instant;

/** Rollouts for the function's tests. */
final class StepFixtures {
    /** A fixed instant; the test tables have TTL off, so nothing stamped from it expires (DynamoDbLocalExtension). */
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    private StepFixtures() {
    }

    /** A rollout rolled back at 25 % with the given reason and observations. */
    static Rollout rolledBack(String key, String reason, JsonNode observations) {
        Rollout draft = Rollout.draft(RolloutJson.parseSpec(Json.parse("""
                {"key": "%s", "description": "Ranker v2",
                 "stages": [{"percent": 5, "bake": "PT30M"}, {"percent": 25, "bake": "PT1H"}, {"percent": 100, "bake": "PT0S"}]}"""
                .formatted(key))), T0, "ada");
        Rollout at25 = RolloutAction.PROMOTE.applyTo(RolloutAction.START.applyTo(draft, T0, "ada"), T0, "ada");
        return RolloutDecider.apply(at25, new RolloutDecision(T0.plusSeconds(17 * 60), RolloutDecision.STEP_ACTOR,
                Decision.ROLLBACK, 25, 0, reason, JsonValues.of(observations)));
    }
}
