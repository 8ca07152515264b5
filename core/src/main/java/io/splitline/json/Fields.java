package io.splitline.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.error.InvalidFieldException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Typed, validated reads from one JSON object, each failure reported as {@code invalid_request} with
 * the JSON path of the field ({@code variants[1].weight}). Domain parsers use it so that every input
 * rule is enforced in one place, at construction, with a message the client can act on.
 */
public final class Fields {
    /**
     * Experiment, rollout, variant and metric keys (API contract): 1–64 characters, so that the usual
     * one-letter variant names ({@code a}, {@code b}) are keys.
     */
    public static final Pattern KEY = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,63}$");
    /** {@link #KEY} in words, for error messages. */
    public static final String KEY_RULE = "1-64 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit";

    public static final int MAX_UNIT_ID_LENGTH = 256;

    private final ObjectNode node;
    private final String path;

    private Fields(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The request body itself; it must be a JSON object. */
    public static Fields root(JsonNode body) {
        return of(body, "");
    }

    /** An object found at {@code path}; anything else is rejected with that path. */
    public static Fields of(JsonNode value, String path) {
        if (value == null || !value.isObject()) {
            throw new InvalidFieldException(path.isEmpty() ? null : path,
                    (path.isEmpty() ? "request body" : path) + " must be a JSON object");
        }
        return new Fields((ObjectNode) value, path);
    }

    public ObjectNode node() {
        return node;
    }

    /** Path of this object; empty for the root. */
    public String path() {
        return path;
    }

    /** Path of a field of this object. */
    public String path(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** True when the field is present and not JSON null. */
    public boolean has(String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    /** Rejects any field not named here, so that typos are reported instead of silently ignored. */
    public Fields allowOnly(Set<String> names) {
        Iterator<String> it = node.fieldNames();
        while (it.hasNext()) {
            String name = it.next();
            if (!names.contains(name)) {
                throw new InvalidFieldException(path(name), "unknown field '" + name + "'");
            }
        }
        return this;
    }

    public JsonNode raw(String name) {
        return node.get(name);
    }

    public String string(String name) {
        return optionalString(name).orElseThrow(() -> missing(name));
    }

    public Optional<String> optionalString(String name) {
        if (!has(name)) {
            return Optional.empty();
        }
        JsonNode v = node.get(name);
        if (!v.isTextual()) {
            throw new InvalidFieldException(path(name), path(name) + " must be a string");
        }
        return Optional.of(v.textValue());
    }

    /** A string of at most {@code maxLength} characters. */
    public Optional<String> optionalString(String name, int maxLength) {
        Optional<String> value = optionalString(name);
        value.ifPresent(s -> {
            if (s.length() > maxLength) {
                throw new InvalidFieldException(path(name), path(name) + " must be at most " + maxLength + " characters");
            }
        });
        return value;
    }

    /** An ISO-8601 UTC instant ({@code 2026-12-01T09:00:00Z}), kept to the millisecond. */
    public Optional<Instant> optionalInstant(String name) {
        return optionalString(name).map(text -> {
            try {
                return Instant.parse(text).truncatedTo(ChronoUnit.MILLIS);
            } catch (DateTimeParseException e) {
                throw new InvalidFieldException(path(name), path(name) + " must be an ISO-8601 UTC time such as "
                        + "2026-12-01T09:00:00Z (got '" + (text.length() <= 40 ? text : text.substring(0, 37) + "...") + "')");
            }
        });
    }

    /** A key matching {@link #KEY}. */
    public String key(String name) {
        return optionalKey(name).orElseThrow(() -> missing(name));
    }

    public Optional<String> optionalKey(String name) {
        Optional<String> value = optionalString(name);
        value.ifPresent(s -> requireKey(s, path(name)));
        return value;
    }

    /** Checks a key found anywhere (array elements, map keys). */
    public static String requireKey(String value, String path) {
        if (!KEY.matcher(value).matches()) {
            throw new InvalidFieldException(path, path + " must match " + KEY.pattern() + ", that is " + KEY_RULE
                    + " (got '" + abbreviate(value) + "')");
        }
        return value;
    }

    /** Unit ids: 1–256 printable characters (no control characters). */
    public static String requireUnitId(String value, String path) {
        if (value.isEmpty() || value.length() > MAX_UNIT_ID_LENGTH) {
            throw new InvalidFieldException(path, path + " must be 1-" + MAX_UNIT_ID_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new InvalidFieldException(path, path + " must contain printable characters only");
            }
        }
        return value;
    }

    public double number(String name) {
        return optionalNumber(name).orElseThrow(() -> missing(name));
    }

    public Optional<Double> optionalNumber(String name) {
        if (!has(name)) {
            return Optional.empty();
        }
        return Optional.of(requireFinite(node.get(name), path(name)));
    }

    /** A JSON number that fits a finite double. */
    public static double requireFinite(JsonNode v, String path) {
        if (!v.isNumber()) {
            throw new InvalidFieldException(path, path + " must be a number");
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            throw new InvalidFieldException(path, path + " must be a finite number");
        }
        return d;
    }

    public long integer(String name) {
        return optionalInteger(name).orElseThrow(() -> missing(name));
    }

    public Optional<Long> optionalInteger(String name) {
        if (!has(name)) {
            return Optional.empty();
        }
        JsonNode v = node.get(name);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new InvalidFieldException(path(name), path(name) + " must be an integer");
        }
        return Optional.of(v.longValue());
    }

    public Optional<Boolean> optionalBoolean(String name) {
        if (!has(name)) {
            return Optional.empty();
        }
        JsonNode v = node.get(name);
        if (!v.isBoolean()) {
            throw new InvalidFieldException(path(name), path(name) + " must be true or false");
        }
        return Optional.of(v.booleanValue());
    }

    /**
     * An enum written in lower case in the API ({@code "conversion"} for {@code CONVERSION}); the error
     * lists the allowed values.
     */
    public <E extends Enum<E>> E lowerCaseEnum(String name, Class<E> type) {
        return optionalLowerCaseEnum(name, type).orElseThrow(() -> missing(name));
    }

    public <E extends Enum<E>> Optional<E> optionalLowerCaseEnum(String name, Class<E> type) {
        Optional<String> value = optionalString(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Optional<E> constant = EnumCodec.parse(type, value.get());
        if (constant.isEmpty()) {
            throw new InvalidFieldException(path(name), path(name) + " must be one of " + EnumCodec.names(type)
                    + " (got '" + abbreviate(value.get()) + "')");
        }
        return constant;
    }

    public Fields object(String name) {
        return optionalObject(name).orElseThrow(() -> missing(name));
    }

    public Optional<Fields> optionalObject(String name) {
        return has(name) ? Optional.of(of(node.get(name), path(name))) : Optional.empty();
    }

    /** Elements of an array field, each with its own path ({@code name[i]}). */
    public List<Element> array(String name) {
        return optionalArray(name).orElseThrow(() -> missing(name));
    }

    public Optional<List<Element>> optionalArray(String name) {
        if (!has(name)) {
            return Optional.empty();
        }
        JsonNode v = node.get(name);
        if (!v.isArray()) {
            throw new InvalidFieldException(path(name), path(name) + " must be an array");
        }
        List<Element> elements = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            elements.add(new Element(v.get(i), path(name) + "[" + i + "]"));
        }
        return Optional.of(elements);
    }

    /** One array element and its path. */
    public record Element(JsonNode value, String path) {
        public Fields object() {
            return of(value, path);
        }

        public String string() {
            if (!value.isTextual()) {
                throw new InvalidFieldException(path, path + " must be a string");
            }
            return value.textValue();
        }
    }

    private InvalidFieldException missing(String name) {
        return new InvalidFieldException(path(name), path(name) + " is required");
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
