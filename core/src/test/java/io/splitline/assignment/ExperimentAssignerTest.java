package io.splitline.assignment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.experiment.Experiment;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.json.Json;
import io.splitline.json.JsonValue;
import io.splitline.json.JsonValues;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExperimentAssignerTest {
    /** Targets country DE, owns [0, 0.5) of namespace "checkout", overrides qa-user-1 → green. */
    private static final String CHECKOUT = """
            {"key": "checkout-button",
             "variants": [{"key": "control", "weight": 0.5, "config": {"color": "blue"}},
                          {"key": "green", "weight": 0.5, "config": {"color": "green"}}],
             "targeting": {"attribute": "country", "op": "eq", "value": "DE"},
             "overrides": {"qa-user-1": "green"},
             "namespace": {"name": "checkout", "start": 0.0, "end": 0.5}}""";

    private static final Map<String, Object> GERMANY = Map.of("country", "DE");

    private static ExperimentAssigner checkout(ExperimentStatus status) {
        return ExperimentAssigner.of(TestExperiments.withStatus(CHECKOUT, status));
    }

    /** The first unit id "user-N" satisfying the predicate (the hash is deterministic, so is this). */
    private static String firstUnit(Predicate<String> p) {
        for (int i = 0; ; i++) {
            if (p.test("user-" + i)) {
                return "user-" + i;
            }
        }
    }

    @Test
    void eligibleUnit_isHashedIntoItsVariant_withTheVariantsConfig() {
        ExperimentAssigner assigner = checkout(ExperimentStatus.RUNNING);
        String unit = firstUnit(u -> Bucketing.inNamespace(u, "checkout", 0.0, 0.5) && assigner.bucket(u) >= 0.5);

        Assignment a = assigner.assign(unit, GERMANY);

        assertEquals(new Assignment("green", true, AssignmentReason.HASHED, JsonValues.of((ObjectNode) Json.parseTrusted("{\"color\":\"green\"}"))), a);
        assertTrue(a.recordsExposure());
    }

    @Test
    void sameUnitAndDefinition_alwaysGetTheSameAnswer() {
        ExperimentAssigner first = checkout(ExperimentStatus.RUNNING);
        ExperimentAssigner second = checkout(ExperimentStatus.RUNNING);
        for (int i = 0; i < 1_000; i++) {
            assertEquals(first.assign("user-" + i, GERMANY), second.assign("user-" + i, GERMANY));
        }
    }

    @ParameterizedTest
    @EnumSource(value = ExperimentStatus.class, names = "RUNNING", mode = EnumSource.Mode.EXCLUDE)
    void notRunning_isNotRunning_evenForAnOverriddenUnit(ExperimentStatus status) {
        ExperimentAssigner assigner = checkout(status);

        assertEquals(new Assignment("control", false, AssignmentReason.NOT_RUNNING, null), assigner.assign("qa-user-1", GERMANY));
        assertEquals(new Assignment("control", false, AssignmentReason.NOT_RUNNING, null), assigner.assign("user-1", GERMANY));
    }

    @Test
    void override_winsOverTargeting() {
        Assignment a = checkout(ExperimentStatus.RUNNING).assign("qa-user-1", Map.of("country", "FR"));

        assertEquals("green", a.variant());
        assertTrue(a.inExperiment());
        assertEquals(AssignmentReason.OVERRIDE, a.reason());
        assertEquals(new JsonValue.JsonString("green"), a.config().fields().get("color"));
        assertTrue(a.recordsExposure(), "the API contract tracks every unit that is in the experiment");
    }

    @Test
    void override_winsOverNamespace() {
        // given a definition whose namespace slice excludes the overridden unit
        double position = UnitHash.v1(Bucketing.namespaceSeed("checkout"), "qa-user-1");
        double start = position >= 0.5 ? 0.0 : 0.6;
        double end = position >= 0.5 ? 0.4 : 1.0;
        ObjectNode spec = (ObjectNode) Json.parseTrusted(CHECKOUT);
        spec.putObject("namespace").put("name", "checkout").put("start", start).put("end", end);
        ExperimentAssigner assigner = ExperimentAssigner.of(TestExperiments.of(spec, ExperimentStatus.RUNNING));
        assertFalse(Bucketing.inNamespace("qa-user-1", "checkout", start, end), "precondition: outside the slice");

        assertEquals(AssignmentReason.OVERRIDE, assigner.assign("qa-user-1", GERMANY).reason());
    }

    @Test
    void override_winsOverZeroCoverage() {
        ExperimentAssigner assigner = ExperimentAssigner.of(TestExperiments.running("""
                {"key": "dark", "variants": [{"key": "off", "weight": 0.5}, {"key": "on", "weight": 0.5}],
                 "coverage": 0, "overrides": {"qa-user-1": "on"}}"""));

        assertEquals(new Assignment("on", true, AssignmentReason.OVERRIDE, null), assigner.assign("qa-user-1", Map.of()));
        assertEquals(new Assignment("off", false, AssignmentReason.NOT_COVERED, null), assigner.assign("user-1", Map.of()));
    }

    @Test
    void untargetedUnit_getsControlWithoutConfig() {
        assertEquals(new Assignment("control", false, AssignmentReason.NOT_TARGETED, null),
                checkout(ExperimentStatus.RUNNING).assign("user-1", Map.of("country", "FR")));
    }

    @Test
    void missingAttributesOrNullMap_areNotTargeted() {
        ExperimentAssigner assigner = checkout(ExperimentStatus.RUNNING);
        assertEquals(AssignmentReason.NOT_TARGETED, assigner.assign("user-1", Map.of()).reason());
        assertEquals(AssignmentReason.NOT_TARGETED, assigner.assign("user-1", null).reason());
    }

    @Test
    void targetingIsCheckedBeforeTheNamespace() {
        ExperimentAssigner assigner = checkout(ExperimentStatus.RUNNING);
        String outside = firstUnit(u -> !Bucketing.inNamespace(u, "checkout", 0.0, 0.5));

        assertEquals(AssignmentReason.NOT_TARGETED, assigner.assign(outside, Map.of("country", "FR")).reason());
        assertEquals(new Assignment("control", false, AssignmentReason.NOT_IN_NAMESPACE, null), assigner.assign(outside, GERMANY));
    }

    @Test
    void namespaceIsCheckedBeforeCoverage() {
        ObjectNode spec = (ObjectNode) Json.parseTrusted(CHECKOUT);
        spec.put("coverage", 0.0);
        ExperimentAssigner assigner = ExperimentAssigner.of(TestExperiments.of(spec, ExperimentStatus.RUNNING));
        String outside = firstUnit(u -> !Bucketing.inNamespace(u, "checkout", 0.0, 0.5));
        String inside = firstUnit(u -> Bucketing.inNamespace(u, "checkout", 0.0, 0.5));

        assertEquals(AssignmentReason.NOT_IN_NAMESPACE, assigner.assign(outside, GERMANY).reason());
        assertEquals(AssignmentReason.NOT_COVERED, assigner.assign(inside, GERMANY).reason());
    }

    @Test
    void hashOnARangeBoundary_belongsToTheRangeStartingThere() {
        // weights 0.25/0.75 put the boundary on the hash grid; find units exactly on it
        ExperimentAssigner assigner = ExperimentAssigner.of(TestExperiments.running("boundary", new double[] {0.25, 0.75}, 1.0));
        String onBoundary = firstUnit(u -> assigner.bucket(u) == 0.25);
        String justBelow = firstUnit(u -> assigner.bucket(u) == 0.2499);

        assertEquals("v1", assigner.assign(onBoundary, Map.of()).variant());
        assertEquals("v0", assigner.assign(justBelow, Map.of()).variant());
    }

    @Test
    void reducedCoverage_leavesTheTopOfEachWeightUncovered() {
        // coverage 0.5 of 0.25/0.75 → ranges [0, 0.125) and [0.25, 0.625)
        Experiment e = TestExperiments.running("half", new double[] {0.25, 0.75}, 0.5);
        assertEquals(List.of(new BucketRange(0, 0.125), new BucketRange(0.25, 0.625)), ExperimentAssigner.ranges(e.spec()));
        ExperimentAssigner assigner = ExperimentAssigner.of(e);

        assertEquals("v0", assigner.assign(firstUnit(u -> assigner.bucket(u) == 0.1249), Map.of()).variant());
        assertEquals(AssignmentReason.NOT_COVERED, assigner.assign(firstUnit(u -> assigner.bucket(u) == 0.125), Map.of()).reason());
        assertEquals(AssignmentReason.NOT_COVERED, assigner.assign(firstUnit(u -> assigner.bucket(u) == 0.2499), Map.of()).reason());
        assertEquals("v1", assigner.assign(firstUnit(u -> assigner.bucket(u) == 0.25), Map.of()).variant());
        assertEquals(AssignmentReason.NOT_COVERED, assigner.assign(firstUnit(u -> assigner.bucket(u) == 0.625), Map.of()).reason());
    }

    @Test
    void zeroWeightVariant_neverGetsUnits() {
        ExperimentAssigner assigner = ExperimentAssigner.of(TestExperiments.running("zero-weight", new double[] {0.5, 0.0, 0.5}, 1.0));
        for (int i = 0; i < 20_000; i++) {
            Assignment a = assigner.assign("user-" + i, Map.of());
            assertTrue(a.inExperiment());
            assertFalse("v1".equals(a.variant()), "user-" + i);
        }
    }

    @Test
    void answers_arePrecomputedAndShared() {
        ExperimentAssigner assigner = checkout(ExperimentStatus.RUNNING);
        assertSame(assigner.assign("user-1", Map.of()), assigner.assign("user-2", Map.of()));
    }

    @Test
    void configOfTheAnswer_isTheDefinitions_andCannotBeChanged() {
        Experiment e = TestExperiments.running(CHECKOUT);
        JsonValue.JsonObject config = ExperimentAssigner.of(e).assign("qa-user-1", Map.of()).config();

        assertEquals(e.spec().variants().get(1).config(), config);
        assertThrows(UnsupportedOperationException.class, () -> config.fields().put("color", new JsonValue.JsonString("mutated")));
    }

    @Test
    void outsideAnswerWithConfig_cannotBeBuilt() {
        assertThrows(IllegalArgumentException.class,
                () -> new Assignment("control", false, AssignmentReason.NOT_COVERED, JsonValues.of(Json.object())));
    }

    @Test
    void unknownKeyAnswer_hasNoVariant() {
        assertNull(Assignment.unknownKey().variant());
        assertFalse(Assignment.unknownKey().inExperiment());
        assertEquals(AssignmentReason.UNKNOWN_KEY, Assignment.unknownKey().reason());
    }

    @Test
    void reasons_haveTheirApiNames() {
        assertEquals(List.of("hashed", "override", "not_running", "not_covered", "not_targeted", "not_in_namespace", "holdout", "unknown_key"),
                Arrays.stream(AssignmentReason.values()).map(AssignmentReason::json).toList());
    }
}
