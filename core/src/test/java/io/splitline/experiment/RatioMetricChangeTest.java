package io.splitline.experiment;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.splitline.error.StateConflictException;
import io.splitline.json.Json;
import org.junit.jupiter.api.Test;

/** A running experiment's ratio metric keeps its numerator and denominator: its Σab was collected for them. */
class RatioMetricChangeTest {
    private static ExperimentSpec spec(String numerator, String role) {
        return ExperimentJson.parseSpec(Json.parse(("{'key': 'rps', 'variants': [{'key': 'a', 'weight': 0.5}, {'key': 'b', 'weight': 0.5}],"
                + "'metrics': [{'key': 'per-session', 'type': 'ratio', 'numerator': '" + numerator + "', 'denominator': 'session',"
                + "'role': '" + role + "'}]}").replace('\'', '"')));
    }

    @Test
    void changingARatiosNumeratorWhileRunning_isAConflict_butItsRoleMayChange() {
        ExperimentSpec current = spec("revenue", "primary");
        ExperimentSpec otherNumerator = spec("refunds", "primary");
        ExperimentSpec otherRole = spec("revenue", "secondary");

        StateConflictException e = assertThrows(StateConflictException.class, () -> ChangePolicy.check(ExperimentStatus.RUNNING, current,
                otherNumerator, SpecDiff.between(current, otherNumerator)));
        assertEquals("metrics[0].type", e.field());
        assertDoesNotThrow(() -> ChangePolicy.check(ExperimentStatus.RUNNING, current, otherRole, SpecDiff.between(current, otherRole)));
        assertDoesNotThrow(() -> ChangePolicy.check(ExperimentStatus.DRAFT, current, otherNumerator,
                SpecDiff.between(current, otherNumerator)));
    }
}
