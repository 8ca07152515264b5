package io.splitline.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A notification's detail is built without Jackson and written through {@link JsonValues}: the text must be
 * the one Jackson's {@code ObjectNode.put} and {@code valueToTree} wrote before, field for field.
 */
class JsonObjectBuilderTest {
    @Test
    void writesTheTextJacksonsPutWrote() {
        Map<String, Long> observed = new LinkedHashMap<>();
        observed.put("control", 300L);
        observed.put("green", 1_000L);
        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("control", 650.0);
        expected.put("green", 650.0);

        JsonValue.JsonObject built = new JsonObjectBuilder()
                .put("experiment", "checkout")
                .put("description", (String) null)
                .put("stageIndex", 2)
                .put("version", 7L)
                .put("pValue", 1.0E-4)
                .put("relativeLift", (Double) null)
                .put("mismatch", true)
                .putNumbers("observed", observed)
                .putNumbers("expected", expected)
                .putStrings("reasons", List.of("a", "b"))
                .set("observations", JsonValue.JsonNull.NULL)
                .build();

        ObjectNode jackson = Json.object();
        jackson.put("experiment", "checkout");
        jackson.put("description", (String) null);
        jackson.put("stageIndex", 2);
        jackson.put("version", 7L);
        jackson.put("pValue", 1.0E-4);
        jackson.put("relativeLift", (Double) null);
        jackson.put("mismatch", true);
        jackson.set("observed", Json.MAPPER.valueToTree(observed));
        jackson.set("expected", Json.MAPPER.valueToTree(expected));
        jackson.set("reasons", Json.MAPPER.valueToTree(List.of("a", "b")));
        jackson.putNull("observations");
        assertEquals(Json.write(jackson), Json.write(JsonValues.node(built)));
    }
}
