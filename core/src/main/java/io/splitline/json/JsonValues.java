package io.splitline.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The codec between {@link JsonValue} and Jackson trees, for the classes that read and write JSON. */
public final class JsonValues {
    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();

    private JsonValues() {
    }

    /** The value of a request body, read by {@link Json#parse} (so refused as it refuses). */
    public static JsonValue parse(String body) {
        return of(Json.parse(body));
    }

    /** The value of a parsed object; null for null. */
    public static JsonValue.JsonObject of(ObjectNode node) {
        return node == null ? null : (JsonValue.JsonObject) of((JsonNode) node);
    }

    /** The value of a parsed tree. */
    public static JsonValue of(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonValue> fields = new LinkedHashMap<>();
            node.properties().forEach(e -> fields.put(e.getKey(), of(e.getValue())));
            return new JsonValue.JsonObject(fields);
        }
        if (node.isArray()) {
            List<JsonValue> elements = new ArrayList<>(node.size());
            node.forEach(e -> elements.add(of(e)));
            return new JsonValue.JsonArray(elements);
        }
        if (node.isTextual()) {
            return new JsonValue.JsonString(node.textValue());
        }
        if (node.isNumber()) {
            return new JsonValue.JsonNumber(node.numberValue());
        }
        if (node.isBoolean()) {
            return new JsonValue.JsonBoolean(node.booleanValue());
        }
        if (node.isNull()) {
            return JsonValue.JsonNull.NULL;
        }
        throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
    }

    /** A new tree of an object value (the caller may change it); null for null. */
    public static ObjectNode node(JsonValue.JsonObject value) {
        return value == null ? null : (ObjectNode) node((JsonValue) value);
    }

    /** The value as compact JSON text. */
    public static String write(JsonValue value) {
        return Json.write(node(value));
    }

    /** A new tree of a value. */
    public static JsonNode node(JsonValue value) {
        if (value instanceof JsonValue.JsonObject o) {
            ObjectNode node = NODES.objectNode();
            o.fields().forEach((k, v) -> node.set(k, node(v)));
            return node;
        }
        if (value instanceof JsonValue.JsonArray a) {
            ArrayNode node = NODES.arrayNode(a.elements().size());
            a.elements().forEach(e -> node.add(node(e)));
            return node;
        }
        if (value instanceof JsonValue.JsonString s) {
            return NODES.textNode(s.value());
        }
        if (value instanceof JsonValue.JsonNumber n) {
            return number(n.value());
        }
        if (value instanceof JsonValue.JsonBoolean b) {
            return NODES.booleanNode(b.value());
        }
        return NODES.nullNode();
    }

    private static JsonNode number(Number n) {
        if (n instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (n instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (n instanceof BigInteger i) {
            return NODES.numberNode(i);
        }
        if (n instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        return NODES.numberNode(n.doubleValue());
    }
}
