package io.splitline.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.error.InvalidFieldException;

/**
 * The one JSON mapper of the process. Input is read as a tree ({@link JsonNode}) and validated field by
 * field (see {@link Fields}), so clients get the path of the offending field; output is written from
 * trees or records. Built once per container: mappers are expensive to create and thread-safe to share.
 */
public final class Json {
    /**
     * Deepest nesting of any JSON the service reads: request bodies, stored definitions and history
     * entries, and its own responses when clients read them back. Whatever a client may send to be
     * stored is limited below it by the levels stored documents wrap around it (see
     * {@code ExperimentLimits.MAX_CONFIG_DEPTH}), so what is accepted stays readable on every route.
     */
    public static final int MAX_DEPTH = 64;

    /** Shared, configured mapper. Never reconfigure it after class initialisation. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxNumberLength(100).build());
    }

    private Json() {
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /**
     * Parses a request body. Anything that is not exactly one JSON value (empty, malformed, trailing
     * garbage, duplicate keys) is an {@code invalid_request}, never a 500; so is text that is not
     * well-formed Unicode anywhere in it ({@link #requireWellFormedText}).
     */
    public static JsonNode parse(String body) {
        JsonNode node = parseSyntax(body);
        requireWellFormedText(node, "");
        return node;
    }

    /**
     * Parses a request body whose strings the caller checks part by part with
     * {@link #requireWellFormedText} (a batch rejects one bad element, not the whole request).
     */
    public static JsonNode parseSyntax(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidFieldException(null, "request body is required");
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidFieldException(null, "malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Rejects a string or member name holding an unpaired surrogate (a lone JSON escape such as
     * {@code \\ud800} is valid JSON but no Unicode text): stored as UTF-8 it would become {@code ?},
     * so two different ids would collide. The error names the string's path, or for a member name the object holding it.
     */
    public static void requireWellFormedText(JsonNode node, String path) {
        if (node.isTextual() && !isWellFormed(node.textValue())) {
            throw new InvalidFieldException(path.isEmpty() ? null : path, (path.isEmpty() ? "the body" : path)
                    + " contains an unpaired surrogate (\\ud800-\\udfff not in a pair): send well-formed Unicode text");
        }
        if (node.isObject()) {
            for (var member : node.properties()) {
                if (!isWellFormed(member.getKey())) {
                    throw new InvalidFieldException(path.isEmpty() ? null : path, "a member name of "
                            + (path.isEmpty() ? "the body" : path) + " contains an unpaired surrogate: send well-formed Unicode text");
                }
                requireWellFormedText(member.getValue(), path.isEmpty() ? member.getKey() : path + "." + member.getKey());
            }
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                requireWellFormedText(node.get(i), path + "[" + i + "]");
            }
        }
    }

    /** True when every surrogate in {@code s} is half of a high-low pair. */
    static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Parses JSON the service wrote itself (stored documents); a failure here is a bug, not bad input. */
    public static JsonNode parseTrusted(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    /** Levels of arrays and objects in {@code node}, as the parser counts them: a scalar is 0, {@code {}} is 1. */
    public static int depth(JsonNode node) {
        int deepest = 0;
        for (JsonNode child : node) {
            deepest = Math.max(deepest, depth(child));
        }
        return node.isContainerNode() ? deepest + 1 : 0;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
        }
    }
}
