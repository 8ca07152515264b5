package io.splitline.rollout;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import io.splitline.rollout.step.RolloutEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Definitions and a recording event sink shared by the rollout tests. */
final class RolloutFixtures {
    /** A fixed instant; the test tables have TTL off, so nothing stamped from it expires (DynamoDbLocalExtension). */
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    static final String ADA = "arn:aws:iam::123456789012:user/ada";

    private RolloutFixtures() {
    }

    /** 5 → 25 → 50 → 75 → 100 with the bakes of docs/rollouts.md's example, and the given health (null: none). */
    static RolloutSpec spec(String key, String healthJson) {
        ObjectNode body = (ObjectNode) Json.parse("""
                {"key": "%s", "description": "Ranker v2",
                 "stages": [{"percent": 5, "bake": "PT30M"}, {"percent": 25, "bake": "PT1H"},
                            {"percent": 50, "bake": "PT1H"}, {"percent": 75, "bake": "PT1H"},
                            {"percent": 100, "bake": "PT0S"}]}""".formatted(key));
        if (healthJson != null) {
            body.set("health", Json.parse(healthJson));
        }
        return RolloutJson.parseSpec(body);
    }

    /** Keeps every announced rollback. */
    static final class RecordingEvents implements RolloutEvents {
        final List<Rollout> rolledBack = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void rolledBack(Rollout rollout) {
            rolledBack.add(rollout);
        }
    }
}
