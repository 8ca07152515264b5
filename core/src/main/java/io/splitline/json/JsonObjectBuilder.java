package io.splitline.json;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link JsonValue.JsonObject} field by field, in the order written, for the domain code that
 * makes JSON it hands on without Jackson (a notification's detail). Numbers keep their Java type, so
 * {@link JsonValues} writes them as Jackson would have ({@code 3}, {@code 3.0}); a null string, number or
 * value is written as JSON {@code null}, as Jackson's {@code ObjectNode.put} does.
 */
public final class JsonObjectBuilder {
    private final Map<String, JsonValue> fields = new LinkedHashMap<>();

    public JsonObjectBuilder put(String field, String value) {
        return set(field, value == null ? JsonValue.JsonNull.NULL : new JsonValue.JsonString(value));
    }

    /** An int, long or double (boxed or not); null as JSON {@code null}. */
    public JsonObjectBuilder put(String field, Number value) {
        return set(field, value == null ? JsonValue.JsonNull.NULL : new JsonValue.JsonNumber(value));
    }

    public JsonObjectBuilder put(String field, boolean value) {
        return set(field, new JsonValue.JsonBoolean(value));
    }

    /** Strings as an array. */
    public JsonObjectBuilder putStrings(String field, List<String> values) {
        return set(field, new JsonValue.JsonArray(values.stream().<JsonValue>map(JsonValue.JsonString::new).toList()));
    }

    /**
     * Numbers by name as an object, in the map's order, as {@code Json.MAPPER.valueToTree} made it: a finite
     * double as a decimal without trailing zeros (the mapper reads floats as {@code BigDecimal}, so 650.0 is
     * written {@code 6.5E+2}), which keeps the text of the details written before this builder.
     */
    public JsonObjectBuilder putNumbers(String field, Map<String, ? extends Number> values) {
        JsonObjectBuilder object = new JsonObjectBuilder();
        values.forEach((name, n) -> object.put(name, n instanceof Double d && Double.isFinite(d) ? BigDecimal.valueOf(d).stripTrailingZeros() : n));
        return set(field, object.build());
    }

    /** Any value; null as JSON {@code null}. */
    public JsonObjectBuilder set(String field, JsonValue value) {
        fields.put(field, value == null ? JsonValue.JsonNull.NULL : value);
        return this;
    }

    public JsonValue.JsonObject build() {
        return new JsonValue.JsonObject(fields);
    }
}
