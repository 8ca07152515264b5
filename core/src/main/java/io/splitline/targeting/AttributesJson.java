package io.splitline.targeting;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.error.InvalidFieldException;
import io.splitline.json.Fields;
import java.util.HashMap;
import java.util.Map;

/**
 * A unit's targeting {@code attributes} in a request ({@code /assign}, or an exposure event of
 * {@code POST /events}): name → string, number or boolean, with limits that keep a request cheap to store
 * and evaluate whatever the client sends.
 */
public final class AttributesJson {
    public static final int MAX_ATTRIBUTES = 50;
    public static final int MAX_ATTRIBUTE_NAME = 64;
    public static final int MAX_ATTRIBUTE_STRING = 1024;

    private AttributesJson() {
    }

    /** Parses and validates an {@code attributes} object; every error names the JSON path at fault. */
    public static Map<String, Object> parse(Fields a) {
        if (a.node().size() > MAX_ATTRIBUTES) {
            throw new InvalidFieldException(a.path(), "at most " + MAX_ATTRIBUTES + " attributes (got " + a.node().size() + ")");
        }
        Map<String, Object> attributes = new HashMap<>();
        for (Map.Entry<String, JsonNode> entry : a.node().properties()) {
            String name = entry.getKey();
            String path = a.path(name);
            if (name.isEmpty() || name.length() > MAX_ATTRIBUTE_NAME) {
                throw new InvalidFieldException(path, "attribute names must be 1-" + MAX_ATTRIBUTE_NAME + " characters");
            }
            attributes.put(name, value(entry.getValue(), path));
        }
        return attributes;
    }

    /** The attributes as a raw event stores them: each value as its text (a number as Java prints a double). */
    public static Map<String, String> asText(Map<String, Object> attributes) {
        Map<String, String> text = new HashMap<>();
        attributes.forEach((name, value) -> text.put(name, String.valueOf(value)));
        return text;
    }

    private static Object value(JsonNode v, String path) {
        if (v.isTextual()) {
            if (v.textValue().length() > MAX_ATTRIBUTE_STRING) {
                throw new InvalidFieldException(path, path + " must be at most " + MAX_ATTRIBUTE_STRING + " characters");
            }
            return v.textValue();
        }
        if (v.isNumber()) {
            // + 0.0 turns -0.0 into 0.0: the two are one number to a client and must compare equal.
            return Fields.requireFinite(v, path) + 0.0;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        throw new InvalidFieldException(path, path + " must be a string, number or boolean");
    }
}
