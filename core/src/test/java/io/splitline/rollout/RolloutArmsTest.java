package io.splitline.rollout;

import static io.splitline.rollout.RolloutFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.ingest.IngestTarget;
import io.splitline.rollout.step.RolloutDecider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Monotonicity of a rollout's arms over its stages, and what ingest is told about a rollout. */
class RolloutArmsTest {
    private static final int UNITS = 20_000;

    /** Draft, then each stage of 5 → 25 → 50 → 75 → 100, then completed. */
    private static List<Rollout> fullRollout() {
        List<Rollout> states = new ArrayList<>();
        Rollout r = Rollout.draft(RolloutFixtures.spec("new-ranker-rollout", null), T0, "ada");
        states.add(r);
        r = RolloutAction.START.applyTo(r, T0, "ada");
        states.add(r);
        while (r.status() != RolloutStatus.COMPLETED) {
            r = RolloutAction.PROMOTE.applyTo(r, T0, "ada");
            states.add(r);
        }
        return states;
    }

    @Test
    void acrossAFullRollout_noUnitEverMovesFromTreatmentBackToControl() {
        List<Rollout> states = fullRollout();
        assertEquals(List.of(0, 5, 25, 50, 75, 100, 100), states.stream().map(Rollout::percent).toList());

        int[] treated = new int[states.size()];
        for (int u = 0; u < UNITS; u++) {
            String unit = "user-" + u;
            boolean wasTreated = false;
            for (int s = 0; s < states.size(); s++) {
                boolean treatedNow = RolloutArms.arm(states.get(s), unit).equals(Rollout.TREATMENT);
                assertFalse(wasTreated && !treatedNow, unit + " went back to control at " + states.get(s).percent() + "%");
                wasTreated = treatedNow;
                treated[s] += treatedNow ? 1 : 0;
            }
        }
        assertEquals(0, treated[0]);
        assertEquals(UNITS, treated[6]);
        for (int s = 1; s < 5; s++) {
            double share = treated[s] / (double) UNITS;
            double want = states.get(s).percent() / 100.0;
            assertTrue(Math.abs(share - want) < 0.01, "share " + share + " at " + want);
        }
    }

    @Test
    void rollbackAndAbort_putEveryUnitOnControl() {
        Rollout at75 = fullRollout().get(4);
        assertEquals(75, at75.percent());
        Rollout rolledBack = RolloutDecider.apply(at75, new RolloutDecision(T0, RolloutDecision.STEP_ACTOR,
                Decision.ROLLBACK, 75, 0, "unhealthy", null));
        Rollout aborted = RolloutAction.ABORT.applyTo(at75, T0, "ada");

        for (int u = 0; u < UNITS; u++) {
            assertEquals(Rollout.CONTROL, RolloutArms.arm(rolledBack, "user-" + u));
            assertEquals(Rollout.CONTROL, RolloutArms.arm(aborted, "user-" + u));
        }
    }

    @Test
    void ingestTarget_recordsIntoTheCurrentStage_whileInProgressOrPaused() {
        List<Rollout> states = fullRollout();
        Rollout at25 = states.get(2);
        IngestTarget target = RolloutArms.ingestTarget(at25);

        assertEquals("new-ranker-rollout", target.key());
        assertEquals("s1", target.scope());
        assertTrue(target.active());
        assertEquals(RolloutArms.arm(at25, "user-5"), target.armOf().apply("user-5").orElseThrow());
        assertEquals(Rollout.TREATMENT, target.armOf().apply("user-5").orElseThrow(), "docs/hashing.md vector: 0.2024 < 0.25");
        assertTrue(RolloutArms.ingestTarget(RolloutAction.PAUSE.applyTo(at25, T0, "ada")).active());
        assertFalse(RolloutArms.ingestTarget(states.get(0)).active(), "draft");
        assertFalse(RolloutArms.ingestTarget(states.get(6)).active(), "completed");
        assertFalse(RolloutArms.ingestTarget(RolloutAction.ABORT.applyTo(at25, T0, "ada")).active(), "aborted");
    }
}
