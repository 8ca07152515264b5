package io.splitline.assignment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.error.InvalidFieldException;
import io.splitline.ingest.EventBatch;
import io.splitline.json.Fields;
import io.splitline.json.Json;
import io.splitline.json.JsonValues;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API form of {@code POST /assign}: request parsing with every limit of the contract, and the
 * response body. Limits keep a request cheap to evaluate whatever the client sends.
 */
public final class AssignmentJson {
    public static final int MAX_ATTRIBUTES = 50;
    public static final int MAX_ATTRIBUTE_NAME = 64;
    public static final int MAX_ATTRIBUTE_STRING = 1024;
    public static final int MAX_KEYS = 100;

    private static final Set<String> REQUEST_FIELDS = Set.of("unitId", "attributes", "keys", "track", "covariates");

    private AssignmentJson() {
    }

    /** Parses and validates a request body; every error names the JSON path at fault. */
    public static AssignRequest parseRequest(JsonNode body) {
        Fields f = Fields.root(body).allowOnly(REQUEST_FIELDS);
        String unitId = Fields.requireUnitId(f.string("unitId"), f.path("unitId"));
        Map<String, Object> attributes = f.optionalObject("attributes").map(AssignmentJson::attributes).orElse(Map.of());
        List<String> keys = f.optionalArray("keys").map(elements -> keys(elements, f.path("keys"))).orElse(null);
        boolean track = f.optionalBoolean("track").orElse(true);
        Map<String, BigDecimal> covariates = f.has("covariates") ? EventBatch.covariates(f) : Map.of();
        return new AssignRequest(unitId, attributes, keys, track, covariates);
    }

    private static Map<String, Object> attributes(Fields a) {
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
            attributes.put(name, attributeValue(entry.getValue(), path));
        }
        return attributes;
    }

    private static Object attributeValue(JsonNode v, String path) {
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

    private static List<String> keys(List<Fields.Element> elements, String path) {
        if (elements.size() > MAX_KEYS) {
            throw new InvalidFieldException(path, "at most " + MAX_KEYS + " keys per request (got " + elements.size() + ")");
        }
        Set<String> keys = new LinkedHashSet<>();
        for (Fields.Element e : elements) {
            keys.add(Fields.requireKey(e.string(), e.path()));
        }
        return List.copyOf(keys);
    }

    /**
     * The response body: {@code {"unitId", "assignments": {key: {variant, inExperiment, reason, config?}}}},
     * keys in the map's iteration order. {@code config} is present only for units in the experiment
     * whose variant has one.
     */
    public static ObjectNode response(String unitId, Map<String, Assignment> assignments) {
        ObjectNode body = Json.object();
        body.put("unitId", unitId);
        ObjectNode out = body.putObject("assignments");
        assignments.forEach((key, a) -> {
            ObjectNode node = out.putObject(key);
            node.put("variant", a.variant());
            node.put("inExperiment", a.inExperiment());
            node.put("reason", a.reason().json());
            if (a.config() != null) {
                node.set("config", JsonValues.node(a.config()));
            }
        });
        return body;
    }
}
