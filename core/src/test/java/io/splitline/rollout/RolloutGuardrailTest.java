package io.splitline.rollout;

import static io.splitline.rollout.RolloutFixtures.ADA;
import static io.splitline.rollout.RolloutFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.AggregateReader;
import io.splitline.aggregate.VariantAggregates;
import io.splitline.assignment.Bucketing;
import io.splitline.ingest.EventBatch;
import io.splitline.ingest.FoldedIngest;
import io.splitline.ingest.IngestResult;
import io.splitline.ingest.TestEvents;
import io.splitline.json.Json;
import io.splitline.json.JsonValues;
import io.splitline.rollout.step.GuardrailGate;
import io.splitline.rollout.step.GuardrailObservation;
import io.splitline.rollout.step.RolloutStep;
import io.splitline.rollout.step.StepOutcome;
import io.splitline.stats.MetricAggregate;
import io.splitline.store.DefinitionStore;
import io.splitline.store.InMemoryDefinitionStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The statistical gate: guardrails compare treatment with control on the rollout's own events, only
 * units exposed in the current stage, with a one-sided always-valid test.
 */
class RolloutGuardrailTest {
    private static final String GUARDED = """
            {"key": "ranker-guarded", "stages": [{"percent": 50, "bake": "PT0S"}, {"percent": 100, "bake": "PT0S"}],
             "health": {"guardrails": [{"metric": "error", "type": "conversion", "direction": "decrease"}],
                        "alpha": 0.05, "minimumUnitsPerArm": 500}}""";

    private final MutableClock clock = new MutableClock(T0);
    private final DefinitionStore store = new InMemoryDefinitionStore();

    private static ObjectNode event(String id, String key, String unit, String type, String metric) {
        return TestEvents.event(id, key, unit, type, metric, T0);
    }

    private IngestResult send(FoldedIngest ingest, List<ObjectNode> events) {
        ObjectNode body = Json.object();
        ArrayNode array = body.putArray("events");
        events.forEach(array::add);
        return ingest.ingest(EventBatch.parse(body, clock.instant()));
    }

    @Test
    void treatmentErrorRateTwiceControls_holdsUntilTheMinimumUnits_thenRollsBack() {
        // given a rollout at 50 % whose guardrail is the error rate, and the app's events going through ingest
        RolloutService service = new RolloutService(store, clock);
        service.create(RolloutJson.parseSpec(Json.parse(GUARDED)), ADA);
        service.act("ranker-guarded", RolloutAction.START, ADA);
        FoldedIngest ingest = new FoldedIngest(key -> Optional.of(RolloutArms.ingestTarget(service.get(key))),
                datum -> { }, clock);
        RolloutFixtures.RecordingEvents published = new RolloutFixtures.RecordingEvents();
        RolloutStep step = new RolloutStep(store, (spec, start, now) -> {
            throw new AssertionError("no CloudWatch checks");
        }, ingest, published, clock);
        Random random = new Random(20261124);

        // when units arrive 150 at a time (treatment errs 20 % of the time, control 10 %) and the step runs after each batch
        List<String> decisions = new ArrayList<>();
        long controlUnits = 0;
        long treatmentUnits = 0;
        int unit = 0;
        while (decisions.isEmpty() || decisions.get(decisions.size() - 1).equals("hold")) {
            Rollout current = service.get("ranker-guarded");
            List<ObjectNode> exposures = new ArrayList<>();
            List<ObjectNode> errors = new ArrayList<>();
            for (int i = 0; i < 150; i++, unit++) {
                String id = "user-" + unit;
                boolean treatment = RolloutArms.arm(current, id).equals(Rollout.TREATMENT);
                controlUnits += treatment ? 0 : 1;
                treatmentUnits += treatment ? 1 : 0;
                exposures.add(event("x-" + unit, "ranker-guarded", id, "exposure", null));
                if (random.nextDouble() < (treatment ? 0.20 : 0.10)) {
                    errors.add(event("e-" + unit, "ranker-guarded", id, "metric", "error"));
                }
            }
            assertEquals(exposures.size(), send(ingest, exposures).accepted());
            assertEquals(errors.size(), send(ingest, errors).accepted());
            clock.advance(Duration.ofMinutes(1));
            StepOutcome outcome = step.run().outcome("ranker-guarded").orElseThrow();
            decisions.add(outcome.decision().json());
            boolean enough = controlUnits >= 500 && treatmentUnits >= 500;

            // then it holds exactly while an arm is short of 500 units, and rolls back at the first look with both
            assertEquals(enough ? "rollback" : "hold", outcome.decision().json(),
                    "control " + controlUnits + ", treatment " + treatmentUnits + ": " + outcome.detail());
            if (!enough) {
                assertTrue(outcome.detail().contains("guardrail 'error' needs 500 exposed units per arm (control "
                        + controlUnits + ", treatment " + treatmentUnits + ")"), outcome.detail());
            }
        }
        Rollout rolledBack = service.get("ranker-guarded");
        assertEquals(RolloutStatus.ROLLED_BACK, rolledBack.status());
        assertEquals(0, rolledBack.percent());
        assertTrue(rolledBack.lastDecision().reason().contains("guardrail 'error' is significantly worse in treatment"),
                rolledBack.lastDecision().reason());
        JsonNode g = JsonValues.node(rolledBack.lastDecision().observations()).get("guardrails").get(0);
        assertTrue(g.get("applied").booleanValue());
        assertTrue(g.get("pValue").doubleValue() <= 0.05, g.toString());
        assertTrue(g.get("statistic").doubleValue() > 0, "positive = treatment worse: " + g);
        assertEquals(controlUnits, g.get("control").get("units").longValue());
        assertEquals(treatmentUnits, g.get("treatment").get("units").longValue());
        assertEquals(List.of(rolledBack), published.rolledBack);
    }

    @Test
    void guardrailsCountOnlyTheCurrentStage() {
        // given units exposed at 50 %, then a promote to 100 %
        RolloutService service = new RolloutService(store, clock);
        service.create(RolloutJson.parseSpec(Json.parse(GUARDED)), ADA);
        service.act("ranker-guarded", RolloutAction.START, ADA);
        FoldedIngest ingest = new FoldedIngest(key -> Optional.of(RolloutArms.ingestTarget(service.get(key))),
                datum -> { }, clock);
        List<ObjectNode> stage0 = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            stage0.add(event("a-" + i, "ranker-guarded", "user-" + i, "exposure", null));
        }
        send(ingest, stage0);
        service.promote("ranker-guarded", service.get("ranker-guarded").percent(), ADA);

        // when the same units and a new one are seen again in the new stage
        List<ObjectNode> stage1 = new ArrayList<>();
        for (int i = 0; i < 41; i++) {
            stage1.add(event("b-" + i, "ranker-guarded", "user-" + i, "exposure", null));
        }
        send(ingest, stage1);

        // then each stage's aggregates hold its own exposures, with the arm each unit had in that stage
        AggregateReader reader = ingest;
        Map<String, VariantAggregates> first = reader.read("ranker-guarded", "s0");
        Map<String, VariantAggregates> second = reader.read("ranker-guarded", "s1");
        long treatedAt50 = IntStream.range(0, 40)
                .filter(i -> Bucketing.inRollout("ranker-guarded", "user-" + i, 50)).count();
        assertEquals(treatedAt50, first.get(Rollout.TREATMENT).units());
        assertEquals(40 - treatedAt50, first.get(Rollout.CONTROL).units());
        assertEquals(41, second.get(Rollout.TREATMENT).units());
        assertNull(second.get(Rollout.CONTROL));
    }

    /**
     * 200 simulated rollouts with equal error rates in both arms, each looked at every 250 units of every
     * stage below 100 % (a step per look), the statistics called directly: at least 95 % must never
     * trigger a statistical rollback.
     */
    @Test
    void equalErrorRates_neverTriggerARollback_inAtLeast95PercentOf200Rollouts() {
        HealthSpec health = RolloutJson.parseSpec(Json.parse(GUARDED)).health();
        HealthSpec gated = new HealthSpec(List.of(), List.of(), List.of(), 1, health.guardrails(), 0.05, 200);
        GuardrailGate gate = new GuardrailGate();
        int[] percents = {5, 25, 50, 75};
        int triggered = 0;
        int looks = 0;
        for (int seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            String key = "aa-rollout-" + seed;
            boolean flagged = false;
            for (int stage = 0; stage < percents.length && !flagged; stage++) {
                long[] units = new long[2];
                long[] errors = new long[2];
                for (int i = 1; i <= 6000 && !flagged; i++) {
                    int arm = Bucketing.inRollout(key, "u" + stage + "-" + i, percents[stage]) ? 1 : 0;
                    units[arm]++;
                    if (random.nextDouble() < 0.05) {
                        errors[arm]++;
                    }
                    if (i % 250 == 0) {
                        looks++;
                        List<GuardrailObservation> seen = gate.evaluate(gated, Map.of(
                                Rollout.CONTROL, arm(Rollout.CONTROL, units[0], errors[0]),
                                Rollout.TREATMENT, arm(Rollout.TREATMENT, units[1], errors[1])));
                        flagged = seen.stream().anyMatch(GuardrailObservation::worse);
                    }
                }
            }
            triggered += flagged ? 1 : 0;
        }
        assertTrue(looks > 15_000, "looks: " + looks);
        assertTrue(triggered <= 10, triggered + " of 200 equal-rate rollouts were rolled back by the guardrail");
    }

    private static VariantAggregates arm(String name, long units, long errors) {
        BigDecimal e = BigDecimal.valueOf(errors);
        return new VariantAggregates(name, units, Map.of("error", new MetricAggregate(errors, e, e)));
    }
}
