package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.splitline.devkit.OpenApiContract;
import io.splitline.devkit.SamTemplate;
import io.splitline.experiment.Experiment;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.http.ApiResponse;
import io.splitline.http.ApiRoutes;
import io.splitline.http.ErrorCode;
import io.splitline.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code docs/openapi.yaml}, the published contract, against the code: the same routes as
 * {@link ApiRoutes} and the SAM template with the right credential, every error code with its status,
 * valid examples and sample events, no mistyped schema keyword. The end-to-end suites check every
 * exchange through {@link OpenApiExchangeCheck}; the last tests show that the checks can fail.
 */
class OpenApiContractTest {
    static final OpenApiContract CONTRACT = OpenApiExchangeCheck.CONTRACT;
    static final Map<String, String> ADMIN_KEY = Map.of("x-api-key", "admin-key");

    /** JSON Schema 2020-12 and OpenAPI 3.1 schema keywords: any other key in a schema is a typo. */
    static final Set<String> SCHEMA_KEYWORDS = Set.of("$ref", "$defs", "$schema", "$id", "$comment", "type", "enum",
            "const", "properties", "required", "additionalProperties", "unevaluatedProperties", "propertyNames",
            "patternProperties", "minProperties", "maxProperties", "items", "prefixItems", "minItems", "maxItems",
            "uniqueItems", "contains", "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "minimum", "maximum",
            "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "pattern", "format",
            "title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly", "discriminator");
    static final Set<String> SUBSCHEMA = Set.of("additionalProperties", "unevaluatedProperties", "propertyNames",
            "items", "contains", "not", "if", "then", "else");
    static final Set<String> SUBSCHEMA_LISTS = Set.of("allOf", "anyOf", "oneOf", "prefixItems");
    static final Set<String> SUBSCHEMA_MAPS = Set.of("properties", "patternProperties", "$defs");

    @Test
    void theContract_hasTheRoutesOfApiRoutesAndOfTheTemplate_withTheirCredentials() {
        assertEquals(List.of(), routeMismatches(CONTRACT));
    }

    /** Each difference between the contract's routes (with their credential) and ApiRoutes or the template. */
    static List<String> routeMismatches(OpenApiContract contract) {
        Set<String> code = new TreeSet<>();
        ApiRoutes.ALL.forEach(r -> code.add(r.method() + " " + r.resource() + " " + r.access()));
        Set<String> template = new TreeSet<>();
        SamTemplate.load().apiEvents().forEach(e -> template.add(e.method() + " " + e.path() + " "
                + (e.appKey() ? ApiRoutes.Access.APP : ApiRoutes.Access.ADMIN)));
        Set<String> contractRoutes = new TreeSet<>();
        for (String route : contract.routes()) {
            String[] methodPath = route.split(" ");
            JsonNode op = contract.document().path("paths").path(methodPath[1]).path(methodPath[0].toLowerCase(Locale.ROOT));
            JsonNode security = op.has("security") ? op.get("security") : contract.document().path("security");
            String access = security.toString().equals("[{\"appKey\":[]}]") ? "APP"
                    : security.toString().equals("[{\"sigv4\":[]}]") ? "ADMIN" : "credential " + security;
            contractRoutes.add(route + " " + access);
        }
        List<String> mismatches = new ArrayList<>();
        difference(contractRoutes, code, "in the contract, not in ApiRoutes: ", mismatches::add);
        difference(code, contractRoutes, "in ApiRoutes, not in the contract: ", mismatches::add);
        difference(contractRoutes, template, "in the contract, not in template.yaml: ", mismatches::add);
        difference(template, contractRoutes, "in template.yaml, not in the contract: ", mismatches::add);
        return mismatches;
    }

    private static void difference(Set<String> a, Set<String> b, String label, Consumer<String> into) {
        a.stream().filter(x -> !b.contains(x)).forEach(x -> into.accept(label + x));
    }

    @Test
    void everyErrorCode_isInTheContract_withItsStatus_onEveryRouteThatCanAnswerIt() {
        Set<String> contractCodes = new TreeSet<>();
        CONTRACT.document().at("/components/schemas/ErrorCode/enum").forEach(c -> contractCodes.add(c.asText()));
        Set<String> codes = new TreeSet<>();
        for (ErrorCode code : ErrorCode.values()) {
            codes.add(code.code());
            if (code == ErrorCode.CONFLICT || code == ErrorCode.UNAVAILABLE) {
                continue; // not every route can conflict, and only /events answers 503: checked below
            }
            for (ApiRoutes.Route route : ApiRoutes.ALL) {
                String path = route.resource().replace("{key}", "some-key");
                ApiResponse error = ApiResponse.error(code, "a message", null);
                List<String> violations = CONTRACT.violations(
                        new OpenApiContract.Request(route.method(), path, Map.of(), Map.of("x-api-key", "k", "Authorization", "s"), null),
                        new OpenApiContract.Response(error.status(), error.bodyJson()));
                assertEquals(List.of(), violations.stream().filter(v -> !v.contains("rejects the request")).toList(),
                        route + " " + code);
            }
        }
        assertEquals(codes, contractCodes);
        ApiResponse conflict = ApiResponse.error(ErrorCode.CONFLICT, "stale", "version");
        assertEquals(List.of(), CONTRACT.violations(patch("{\"version\": 1}"), new OpenApiContract.Response(409, conflict.bodyJson())));
        ApiResponse unavailable = ApiResponse.error(ErrorCode.UNAVAILABLE, "contention", null);
        assertEquals(List.of(), CONTRACT.violations(
                new OpenApiContract.Request("POST", "/events", Map.of(), Map.of("x-api-key", "k"), "{\"events\": []}"),
                new OpenApiContract.Response(503, unavailable.bodyJson())).stream().filter(v -> !v.contains("rejects the request")).toList());
    }

    @Test
    void anErrorBody_withTheCodeOfAnotherStatus_breaksTheContract() {
        ApiResponse notFound = ApiResponse.error(ErrorCode.NOT_FOUND, "nope", null);
        assertFalse(CONTRACT.violations(patch("{\"version\": 1}"), new OpenApiContract.Response(409, notFound.bodyJson())).isEmpty());
    }

    @Test
    void aNumberBeyondADoublesRange_whereTheSchemaChecksANumber_isAViolation_notAnException() {
        // 1e400 is infinity as a double, which the validator's enum check threw on (found by a fuzz test)
        OpenApiContract.Request create = new OpenApiContract.Request("POST", "/experiments", Map.of(), ADMIN_KEY,
                DEFINITION.replace("\"weight\": 0.5}", "\"weight\": 0.5, \"config\": {}}").replace("}]}",
                        "}], \"metrics\": [{\"key\": \"purchase\", \"type\": 1e400}]}"));
        ApiResponse refused = ApiResponse.error(ErrorCode.INVALID_REQUEST, "metrics[0].type must be a string", "metrics[0].type");

        assertEquals(List.of(), CONTRACT.violations(create, new OpenApiContract.Response(400, refused.bodyJson())));
        assertFalse(CONTRACT.requestViolations(create).isEmpty());
    }

    static Stream<Path> sampleEvents() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("splitline.repoRoot"), "events"))) {
            List<Path> api = files.filter(p -> p.toString().endsWith(".json")).filter(p -> read(p).has("httpMethod")).sorted().toList();
            assertFalse(api.isEmpty(), "no API Gateway sample events");
            return api.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampleEvents")
    void everySampleApiEvent_isARequestTheContractAccepts(Path file) {
        JsonNode event = read(file);
        Map<String, String> query = new HashMap<>();
        event.path("queryStringParameters").properties().forEach(q -> query.put(q.getKey(), q.getValue().asText()));
        Map<String, String> headers = new HashMap<>();
        event.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
        OpenApiContract.Request request = new OpenApiContract.Request(event.get("httpMethod").asText(),
                event.get("path").asText(), query, headers, event.path("body").isTextual() ? event.get("body").asText() : null);

        assertEquals(List.of(), CONTRACT.requestViolations(request));
    }

    @Test
    void everyExample_matchesItsSchema() {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (String route : CONTRACT.routes()) {
            String[] methodPath = route.split(" ");
            String op = "/paths/" + pointerEscape(methodPath[1]) + "/" + methodPath[0].toLowerCase(Locale.ROOT);
            List<String> mediaTypes = new ArrayList<>();
            mediaTypes.add(resolve(op + "/requestBody") + "/content/application~1json");
            CONTRACT.document().at(op + "/responses").properties()
                    .forEach(r -> mediaTypes.add(resolve(op + "/responses/" + r.getKey()) + "/content/application~1json"));
            for (String mediaType : mediaTypes) {
                for (Map.Entry<String, JsonNode> example : CONTRACT.document().at(mediaType + "/examples").properties()) {
                    JsonNode value = CONTRACT.document().at(resolve(mediaType + "/examples/" + example.getKey()) + "/value");
                    problems.addAll(CONTRACT.validate(value.toString(), "#" + mediaType + "/schema", route + " example " + example.getKey()));
                    checked++;
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(checked >= 10, "examples checked: " + checked);
    }

    @Test
    void everySchema_usesOnlyKnownKeywords() {
        List<String> problems = new ArrayList<>();
        CONTRACT.document().at("/components/schemas").properties()
                .forEach(s -> keywords(s.getValue(), "components/schemas/" + s.getKey(), problems));
        assertEquals(List.of(), problems);
    }

    private static void keywords(JsonNode schema, String where, List<String> problems) {
        if (!schema.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> entry : schema.properties()) {
            String key = entry.getKey();
            String at = where + "/" + key;
            if (!SCHEMA_KEYWORDS.contains(key) && !key.startsWith("x-")) {
                problems.add(at + ": not a schema keyword");
            } else if (SUBSCHEMA.contains(key)) {
                keywords(entry.getValue(), at, problems);
            } else if (SUBSCHEMA_LISTS.contains(key)) {
                for (int i = 0; i < entry.getValue().size(); i++) {
                    keywords(entry.getValue().get(i), at + "/" + i, problems);
                }
            } else if (SUBSCHEMA_MAPS.contains(key)) {
                entry.getValue().properties().forEach(p -> keywords(p.getValue(), at + "/" + p.getKey(), problems));
            }
        }
    }

    @Test
    void theLocalStack_inTheTests_checksEveryExchangeAgainstTheContract() {
        assertTrue(ServiceLoader.load(ExchangeCheck.class).stream().anyMatch(p -> p.type() == OpenApiExchangeCheck.class));
    }

    // ---------------------------------------------------------------- the checks can fail

    @Test
    void aSchemaThatDisagreesWithTheService_failsTheExchange(@TempDir Path dir) throws IOException {
        ObjectNode document = CONTRACT.document().deepCopy();
        ((ObjectNode) document.at("/components/schemas/Experiment/properties/version")).put("type", "string");
        OpenApiContract wrong = OpenApiContract.load(write(dir, document), Map.of("sigv4", "x-api-key"));
        OpenApiContract.Request create = new OpenApiContract.Request("POST", "/experiments", Map.of(), ADMIN_KEY, DEFINITION);
        OpenApiContract.Response created = new OpenApiContract.Response(201, storedExperiment());

        assertEquals(List.of(), CONTRACT.violations(create, created));
        List<String> violations = wrong.violations(create, created);
        assertEquals(1, violations.size(), violations.toString());
        assertTrue(violations.get(0).contains("/version"), violations.toString());
    }

    @Test
    void aRouteOnlyTheContractHas_isCaught(@TempDir Path dir) throws IOException {
        ObjectNode document = CONTRACT.document().deepCopy();
        ((ObjectNode) document.get("paths")).set("/experiments/{key}/clone", document.at("/paths/~1experiments~1{key}~1start").deepCopy());
        OpenApiContract extra = OpenApiContract.load(write(dir, document), Map.of());

        assertEquals(List.of("in the contract, not in ApiRoutes: POST /experiments/{key}/clone ADMIN",
                "in the contract, not in template.yaml: POST /experiments/{key}/clone ADMIN"), routeMismatches(extra));
    }

    @Test
    void aRequestTheContractRejects_mustBeRefused() {
        OpenApiContract.Request textTrack = new OpenApiContract.Request("POST", "/assign", Map.of(),
                Map.of("x-api-key", "app-key"), "{\"unitId\": \"u1\", \"track\": \"yes\"}");
        String answer = "{\"unitId\": \"u1\", \"assignments\": {}}";

        List<String> violations = CONTRACT.violations(textTrack, new OpenApiContract.Response(200, answer));
        assertEquals(1, violations.size(), violations.toString());
        assertTrue(violations.get(0).contains("the contract rejects the request"), violations.toString());
        assertTrue(violations.get(0).contains("/track"), violations.toString());
        ApiResponse refused = ApiResponse.error(ErrorCode.INVALID_REQUEST, "track must be a boolean", "track");
        assertEquals(List.of(), CONTRACT.violations(textTrack, new OpenApiContract.Response(400, refused.bodyJson())));
    }

    @Test
    void aRequestWithoutItsCredential_mustBeAnswered401() {
        OpenApiContract.Request noKey = new OpenApiContract.Request("GET", "/experiments", Map.of(), Map.of(), null);

        List<String> violations = CONTRACT.violations(noKey, new OpenApiContract.Response(200, "{\"experiments\": []}"));
        assertEquals(1, violations.size(), violations.toString());
        assertTrue(violations.get(0).contains("no credential"), violations.toString());
    }

    @Test
    void anUndeclaredStatus_orARouteNotInTheContract_isCaught() {
        OpenApiContract.Request list = new OpenApiContract.Request("GET", "/experiments", Map.of(), ADMIN_KEY, null);
        assertFalse(CONTRACT.violations(list, new OpenApiContract.Response(409, ApiResponse.error(ErrorCode.CONFLICT, "x", null).bodyJson())).isEmpty());
        OpenApiContract.Request unknown = new OpenApiContract.Request("GET", "/nope", Map.of(), ADMIN_KEY, null);
        assertFalse(CONTRACT.violations(unknown, new OpenApiContract.Response(200, "{}")).isEmpty());
        assertEquals(List.of(), CONTRACT.violations(unknown,
                new OpenApiContract.Response(404, ApiResponse.error(ErrorCode.NOT_FOUND, "no route", null).bodyJson())));
    }

    // ---------------------------------------------------------------- helpers

    static final String DEFINITION = "{\"key\": \"checkout-button\", \"variants\": [{\"key\": \"control\", \"weight\": 0.5},"
            + " {\"key\": \"green\", \"weight\": 0.5, \"config\": {\"color\": \"green\"}}]}";

    /** What the service stores and answers for {@link #DEFINITION}, written by its own code. */
    static String storedExperiment() {
        Instant now = Instant.parse("2026-11-24T10:00:00.125Z");
        return Json.write(ExperimentJson.toJson(new Experiment(ExperimentJson.parseSpec(Json.parse(DEFINITION)),
                ExperimentStatus.DRAFT, 1, now, now, null, null)));
    }

    static OpenApiContract.Request patch(String body) {
        return new OpenApiContract.Request("PATCH", "/experiments/checkout-button", Map.of(), ADMIN_KEY, body);
    }

    static String resolve(String pointer) {
        JsonNode node = CONTRACT.document().at(pointer);
        return node.has("$ref") ? node.get("$ref").asText().substring(1) : pointer;
    }

    static String pointerEscape(String path) {
        return path.replace("~", "~0").replace("/", "~1");
    }

    static Path write(Path dir, JsonNode document) throws IOException {
        Path file = dir.resolve("openapi.yaml");
        new YAMLMapper().writeValue(file.toFile(), document);
        return file;
    }

    static JsonNode read(Path file) {
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
