package io.splitline.experiment;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.error.InvalidFieldException;
import io.splitline.error.StateConflictException;
import io.splitline.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An experiment's segment {@code dimensions}: parsed with 400s naming {@code dimensions[i]}, frozen once started. */
class DimensionsTest {
    private static JsonNode body(String dimensions) {
        return Json.parse(("{'key': 'seg', 'variants': [{'key': 'a', 'weight': 0.5}, {'key': 'b', 'weight': 0.5}],"
                + "'metrics': [{'key': 'buy', 'type': 'conversion'}]" + (dimensions == null ? "" : ", 'dimensions': " + dimensions)
                + "}").replace('\'', '"'));
    }

    @Test
    void dimensions_areKeptInOrder_andWrittenBack_andAbsentIsNone() {
        ExperimentSpec spec = ExperimentJson.parseSpec(body("['country', 'plan.tier', 'app_version']"));
        assertEquals(List.of("country", "plan.tier", "app_version"), spec.dimensions());
        JsonNode written = ExperimentJson.specToJson(spec);
        assertEquals(spec, ExperimentJson.parseSpec(written));

        ExperimentSpec none = ExperimentJson.parseSpec(body(null));
        assertEquals(List.of(), none.dimensions());
        assertFalse(ExperimentJson.specToJson(none).has("dimensions"), "a definition without dimensions keeps its stored form");
    }

    @Test
    void badDimensions_areRefusedNamingTheField() {
        assertEquals("dimensions", refusal("['a', 'b', 'c', 'd', 'e', 'f']").field());
        InvalidFieldException hash = refusal("['country', 'plan#tier']");
        assertEquals("dimensions[1]", hash.field());
        assertTrue(hash.getMessage().contains("letters, digits"), hash.getMessage());
        assertEquals("dimensions[0]", refusal("['x=y']").field());
        assertEquals("dimensions[0]", refusal("['']").field());
        assertEquals("dimensions[0]", refusal("['" + "a".repeat(65) + "']").field());
        assertEquals("dimensions[1]", refusal("['country', 'country']").field());
        assertEquals("dimensions[0]", refusal("[3]").field());
        assertEquals("dimensions", refusal("'country'").field());
    }

    private static InvalidFieldException refusal(String dimensions) {
        return assertThrows(InvalidFieldException.class, () -> ExperimentJson.parseSpec(body(dimensions)));
    }

    @Test
    void dimensions_cannotChangeOnceStarted_butMayInDraft() {
        ExperimentSpec current = ExperimentJson.parseSpec(body("['country']"));
        ExperimentSpec next = ExperimentJson.parseSpec(body("['country', 'plan']"));
        for (ExperimentStatus status : List.of(ExperimentStatus.RUNNING, ExperimentStatus.PAUSED)) {
            StateConflictException e = assertThrows(StateConflictException.class,
                    () -> ChangePolicy.check(status, current, next, SpecDiff.between(current, next)));
            assertEquals("dimensions", e.field());
            assertTrue(e.getMessage().contains("first exposure"), e.getMessage());
        }
        assertDoesNotThrow(() -> ChangePolicy.check(ExperimentStatus.DRAFT, current, next, SpecDiff.between(current, next)));
    }
}
