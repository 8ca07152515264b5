package io.splitline.rollout;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.json.Json;
import io.splitline.json.JsonValues;
import io.splitline.store.HistoryEntry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which holds continue the previous entry, on the reasons the decider writes. */
class HoldRunTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    private static HistoryEntry entry(String action, int stageIndex, String reason) {
        return new HistoryEntry(T0, RolloutDecision.STEP_ACTOR, action, 3, JsonValues.of(Json.object()
                .put("fromPercent", 25).put("toPercent", 25).put("status", "in_progress").put("stageIndex", stageIndex)
                .put("reason", reason)));
    }

    @Test
    void theSameReasonWithOtherFigures_continues() {
        assertTrue(HoldRun.continues(entry("hold", 1, "holding at 25%: baking: PT16M of PT1H elapsed"),
                entry("hold", 1, "holding at 25%: baking: PT17M30.5S of PT1H elapsed")));
        assertTrue(HoldRun.continues(entry("hold", 1, "holding at 25%: baking: 3.8 s of 1 h elapsed"),
                entry("hold", 1, "holding at 25%: baking: 59 min of 1 h elapsed")));
        assertTrue(HoldRun.continues(entry("hold", 1, "holding at 25%: check 'v2-errors' has 2 of 5 data points"),
                entry("hold", 1, "holding at 25%: check 'v2-errors' has 3 of 5 data points")));
    }

    @Test
    void anotherReason_stage_decisionOrActor_startsANewEntry() {
        HistoryEntry baking = entry("hold", 1, "holding at 25%: baking: PT16M of PT1H elapsed");

        assertFalse(HoldRun.continues(baking, entry("hold", 1, "holding at 25%: check 'errors' has 0 of 1 data points")));
        assertFalse(HoldRun.continues(baking, entry("hold", 2, "holding at 25%: baking: PT17M of PT1H elapsed")));
        assertFalse(HoldRun.continues(entry("advance", 1, "healthy"), entry("hold", 1, "healthy")));
        assertFalse(HoldRun.continues(baking, new HistoryEntry(T0, "arn:aws:iam::123456789012:user/ada", "hold", 4,
                baking.changes())));
    }
}
