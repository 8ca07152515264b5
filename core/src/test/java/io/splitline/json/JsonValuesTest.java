package io.splitline.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A variant's config, and any JSON the domain carries unread, survives the trip to the value type and back unchanged. */
class JsonValuesTest {
    private static final String CONFIG = "{\"color\":\"blue\",\"size\":1.25,\"count\":3,\"big\":123456789012345678901234567890,"
            + "\"long\":12345678901,\"sizes\":[1,2.5,null,true,false],\"nested\":{\"a\":{\"b\":\"c\"}},\"empty\":{},\"none\":[]}";

    @Test
    void aParsedTree_readsBack_asTheSameTree_andTheSameText() {
        JsonNode parsed = Json.parse(CONFIG);
        JsonValue value = JsonValues.of(parsed);
        assertEquals(parsed, JsonValues.node(value));
        assertEquals(Json.write(parsed), JsonValues.write(value));
    }

    @Test
    void valuesCompareByContent_asParsed() {
        assertEquals(JsonValues.of(Json.parse(CONFIG)), JsonValues.of(Json.parseTrusted(Json.write(Json.parse(CONFIG)))));
        JsonValue.JsonObject color = JsonValues.of((ObjectNode) Json.parse("{\"color\": \"green\", \"on\": true, \"n\": null}"));
        assertEquals(new JsonValue.JsonObject(Map.of("color", new JsonValue.JsonString("green"))).fields().get("color"),
                color.fields().get("color"));
        assertEquals(new JsonValue.JsonBoolean(true), color.fields().get("on"));
        assertEquals(JsonValue.JsonNull.NULL, color.fields().get("n"));
        assertEquals(List.of("color", "on", "n"), List.copyOf(color.fields().keySet()), "fields keep their order");
    }

    @Test
    void aValue_cannotBeChanged_andEachTreeIsNew() {
        JsonValue.JsonObject value = JsonValues.of((ObjectNode) Json.parse(CONFIG));
        assertThrows(UnsupportedOperationException.class, () -> value.fields().remove("color"));
        JsonValue.JsonArray sizes = (JsonValue.JsonArray) value.fields().get("sizes");
        assertThrows(UnsupportedOperationException.class, () -> sizes.elements().clear());
        ObjectNode tree = JsonValues.node(value);
        tree.put("color", "changed");
        assertEquals(new JsonValue.JsonString("blue"), value.fields().get("color"));
        assertNotSame(JsonValues.node(value), JsonValues.node(value));
    }
}
