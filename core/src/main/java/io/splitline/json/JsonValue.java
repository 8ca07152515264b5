package io.splitline.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable JSON value that the domain carries without interpreting it, such as a variant's
 * {@code config}: handed to the app as it was sent. A type of {@code core}'s own rather than a Jackson
 * tree, because a Jackson node is mutable (any holder could change a config every answer shares) and
 * would tie the domain records to the JSON library; {@link JsonValues} converts at the edges. Values
 * compare by content, numbers as parsed (an integer stays an integer, {@code 2.50} keeps its scale), so a
 * value read back from the store equals the one written.
 */
public sealed interface JsonValue {
    /** An object; its fields in the order they were written. */
    record JsonObject(Map<String, JsonValue> fields) implements JsonValue {
        public JsonObject {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
            fields.values().forEach(v -> Objects.requireNonNull(v, "a field's value (JsonNull for null)"));
        }
    }

    /** An array. */
    record JsonArray(List<JsonValue> elements) implements JsonValue {
        public JsonArray {
            elements = List.copyOf(elements);
        }
    }

    /** A string. */
    record JsonString(String value) implements JsonValue {
        public JsonString {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A number, as the parser read it: an {@link Integer}, {@link Long} or {@link BigInteger} for integers, a
     * {@link BigDecimal} or {@link Double} otherwise (so it is written back as it was read).
     */
    record JsonNumber(Number value) implements JsonValue {
        public JsonNumber {
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code true} or {@code false}. */
    record JsonBoolean(boolean value) implements JsonValue {
    }

    /** {@code null}. */
    enum JsonNull implements JsonValue {
        NULL
    }
}
