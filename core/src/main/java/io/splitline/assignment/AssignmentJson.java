package io.splitline.assignment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.error.InvalidFieldException;
import io.splitline.ingest.EventBatch;
import io.splitline.json.Fields;
import io.splitline.json.Json;
import io.splitline.json.JsonValues;
import io.splitline.targeting.AttributesJson;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API form of {@code POST /assign}: request parsing with every limit of the contract, and the
 * response body. Limits keep a request cheap to evaluate whatever the client sends.
 */
public final class AssignmentJson {
    public static final int MAX_KEYS = 100;

    private static final Set<String> REQUEST_FIELDS = Set.of("unitId", "attributes", "keys", "track", "covariates");

    private AssignmentJson() {
    }

    /** Parses and validates a request body; every error names the JSON path at fault. */
    public static AssignRequest parseRequest(JsonNode body) {
        Fields f = Fields.root(body).allowOnly(REQUEST_FIELDS);
        String unitId = Fields.requireUnitId(f.string("unitId"), f.path("unitId"));
        Map<String, Object> attributes = f.optionalObject("attributes").map(AttributesJson::parse).orElse(Map.of());
        List<String> keys = f.optionalArray("keys").map(elements -> keys(elements, f.path("keys"))).orElse(null);
        boolean track = f.optionalBoolean("track").orElse(true);
        Map<String, BigDecimal> covariates = f.has("covariates") ? EventBatch.covariates(f) : Map.of();
        return new AssignRequest(unitId, attributes, keys, track, covariates);
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
