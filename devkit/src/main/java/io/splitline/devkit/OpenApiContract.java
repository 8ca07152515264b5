package io.splitline.devkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The published API contract, {@code docs/openapi.yaml}, as a checker of real HTTP exchanges: the route
 * must be in it, the request is checked against its parameters, security and body schema, and the
 * response against the schema declared for its status (JSON Schema draft 2020-12, the OpenAPI 3.1
 * dialect, formats asserted). The two sides are tied: a request the contract calls invalid must be
 * refused with a 4xx (401 when the credential is missing), so neither a schema that is too loose nor a
 * service that accepts what the contract forbids goes unnoticed. An operation with partial success
 * ({@code x-splitline-partial-success: <field>}, e.g. {@code POST /events}) may instead answer 200
 * listing the refused items in that field.
 *
 * <p>Needs {@code com.networknt:json-schema-validator} on the classpath (an optional dependency of the
 * kit: declare it in the module whose tests use this class).
 */
public final class OpenApiContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The IRI the document is known by to the schema registry (it is never fetched). */
    private static final String DOCUMENT_IRI = "https://splitline.invalid/openapi.json";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    /** A request as the client sent it; {@code headers} are matched case-insensitively. */
    public record Request(String method, String path, Map<String, String> query, Map<String, String> headers,
                          String body) {
        public Request {
            query = query == null ? Map.of() : Map.copyOf(query);
            TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            if (headers != null) {
                h.putAll(headers);
            }
            headers = h;
        }
    }

    /** The answer: a status and its body (null or empty when there is none). */
    public record Response(int status, String body) {
    }

    /** One operation of the document, with its path parameters for a concrete request. */
    private record Operation(String template, String method, JsonNode node, String pointer, JsonNode pathItem,
                             String pathItemPointer, Map<String, String> pathParams) {
        String route() {
            return method.toUpperCase(Locale.ROOT) + " " + template;
        }
    }

    private final JsonNode document;
    private final Map<String, String> credentialHeaders;
    private final boolean checkCredentials;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private OpenApiContract(JsonNode document, Map<String, String> credentialHeaders, boolean checkCredentials) {
        this.document = document;
        this.credentialHeaders = Map.copyOf(credentialHeaders);
        this.checkCredentials = checkCredentials;
        String json = document.toString();
        this.registry = SchemaRegistry.withDialect(Dialects.getOpenApi31(), builder -> builder
                .resourceLoaders(loaders -> loaders.resources(Map.of(DOCUMENT_IRI, json)))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    }

    /**
     * The same contract for exchanges seen behind API Gateway, as a function gets them: the gateway has
     * checked the credential already and does not pass it on, so it is not asked for.
     */
    public OpenApiContract behindApiGateway() {
        return new OpenApiContract(document, credentialHeaders, false);
    }

    /** {@code docs/openapi.yaml} of the repository (the {@code splitline.repoRoot} system property, set by the build). */
    public static OpenApiContract load() {
        return load(Map.of());
    }

    /**
     * The repository's contract, with some security schemes satisfied by another header than the one
     * the document names: the local stack takes its admin key in {@code x-api-key} where AWS wants a
     * SigV4 {@code Authorization} header ({@code Map.of("sigv4", "x-api-key")}).
     */
    public static OpenApiContract load(Map<String, String> credentialHeaders) {
        String root = System.getProperty("splitline.repoRoot");
        if (root == null) {
            throw new IllegalStateException("the splitline.repoRoot system property is not set (the build sets it for tests)");
        }
        return load(Path.of(root, "docs", "openapi.yaml"), credentialHeaders);
    }

    public static OpenApiContract load(Path file, Map<String, String> credentialHeaders) {
        try {
            return new OpenApiContract(new YAMLMapper().readTree(file.toFile()), credentialHeaders, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The document as a tree. */
    public JsonNode document() {
        return document;
    }

    /** Every operation of the document, as {@code "POST /experiments/{key}/start"}. */
    public Set<String> routes() {
        Set<String> routes = new TreeSet<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (METHODS.contains(op.getKey())) {
                routes.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        return routes;
    }

    /**
     * What is wrong with one exchange: an undeclared route must be answered 404 or 405 with the error
     * body; otherwise the request and the response are checked, and tied as described above.
     */
    public List<String> violations(Request request, Response response) {
        Optional<Operation> found = operation(request);
        List<String> problems = new ArrayList<>();
        String what = request.method() + " " + request.path() + " -> " + response.status() + ": ";
        if (found.isEmpty()) {
            if (response.status() != 404 && response.status() != 405) {
                problems.add(what + "the route is not in the contract, yet it was not answered 404/405");
            }
            problems.addAll(prefixed(what, validate(response.body(), "#/components/schemas/Error", "response")));
            return problems;
        }
        Operation op = found.get();
        List<String> requestProblems = requestViolations(request, op);
        boolean credential = hasCredential(request, op);
        boolean partialSuccess = response.status() == 200 && op.node().has("x-splitline-partial-success")
                && !json(response.body()).path(op.node().get("x-splitline-partial-success").asText()).isEmpty();
        if (!credential && response.status() != 401) {
            problems.add(what + "the request has no credential for " + op.route() + ", yet it was not answered 401");
        } else if (!requestProblems.isEmpty() && (response.status() < 400 || response.status() >= 500) && !partialSuccess) {
            problems.add(what + "the contract rejects the request, yet it was answered " + response.status() + ": " + requestProblems);
        }
        problems.addAll(prefixed(what, responseViolations(op, response)));
        return problems;
    }

    /** Throws an {@link AssertionError} naming what is wrong with the exchange, if anything is. */
    public void assertHolds(Request request, Response response) {
        List<String> problems = violations(request, response);
        if (!problems.isEmpty()) {
            throw new AssertionError("the exchange breaks docs/openapi.yaml: " + problems);
        }
    }

    /** What the contract says is wrong with a request (security aside: see {@link #violations}). */
    public List<String> requestViolations(Request request) {
        return operation(request).map(op -> requestViolations(request, op))
                .orElse(List.of("no operation " + request.method() + " " + request.path() + " in the contract"));
    }

    private List<String> requestViolations(Request request, Operation op) {
        List<String> problems = new ArrayList<>();
        List<Map.Entry<JsonNode, String>> parameters = new ArrayList<>();
        collect(op.pathItem().path("parameters"), op.pathItemPointer() + "/parameters", parameters);
        collect(op.node().path("parameters"), op.pointer() + "/parameters", parameters);
        for (Map.Entry<JsonNode, String> parameter : parameters) {
            JsonNode p = parameter.getKey();
            String name = p.path("name").asText();
            String value = switch (p.path("in").asText()) {
                case "path" -> op.pathParams().get(name);
                case "query" -> request.query().get(name);
                case "header" -> request.headers().get(name);
                default -> null;
            };
            if (value == null) {
                if (p.path("required").asBoolean(false)) {
                    problems.add("missing " + p.path("in").asText() + " parameter " + name);
                }
                continue;
            }
            problems.addAll(prefixed(p.path("in").asText() + " parameter " + name + ": ",
                    schema(parameter.getValue() + "/schema").validate(parameterValue(p.path("schema"), value)).stream()
                            .map(Error::toString).toList()));
        }
        JsonNode body = op.node().path("requestBody");
        if (!body.isMissingNode()) {
            Resolved resolved = resolve(body, op.pointer() + "/requestBody");
            boolean empty = request.body() == null || request.body().isEmpty();
            if (empty && resolved.node().path("required").asBoolean(false)) {
                problems.add("the request body is required");
            } else if (!empty) {
                problems.addAll(validate(request.body(), resolved.pointer() + "/content/application~1json/schema", "request body"));
            }
        }
        return problems;
    }

    private void collect(JsonNode parameters, String pointer, List<Map.Entry<JsonNode, String>> into) {
        for (int i = 0; i < parameters.size(); i++) {
            Resolved p = resolve(parameters.get(i), pointer + "/" + i);
            into.add(Map.entry(p.node(), p.pointer()));
        }
    }

    private boolean hasCredential(Request request, Operation op) {
        if (!checkCredentials) {
            return true;
        }
        JsonNode requirements = op.node().has("security") ? op.node().get("security") : document.path("security");
        if (requirements.isEmpty()) {
            return true;
        }
        for (JsonNode requirement : requirements) {
            boolean all = true;
            for (Map.Entry<String, JsonNode> scheme : requirement.properties()) {
                JsonNode declared = document.path("components").path("securitySchemes").path(scheme.getKey());
                String header = credentialHeaders.getOrDefault(scheme.getKey(), declared.path("name").asText());
                String value = request.headers().get(header);
                all &= value != null && !value.isEmpty();
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private List<String> responseViolations(Operation op, Response response) {
        String status = String.valueOf(response.status());
        JsonNode responses = op.node().path("responses");
        String key = responses.has(status) ? status : responses.has("default") ? "default" : null;
        if (key == null) {
            return List.of("status " + status + " is not declared for " + op.route());
        }
        Resolved declared = resolve(responses.get(key), op.pointer() + "/responses/" + key);
        JsonNode content = declared.node().path("content");
        boolean empty = response.body() == null || response.body().isEmpty();
        if (content.isMissingNode()) {
            return empty ? List.of() : List.of("a body where " + op.route() + " " + status + " declares none");
        }
        if (!content.has("application/json")) {
            return List.of(op.route() + " " + status + " declares no application/json content");
        }
        return validate(response.body(), declared.pointer() + "/content/application~1json/schema", "response body");
    }

    /** The errors of a JSON text against the schema at {@code pointer} (a JSON pointer into the document). */
    public List<String> validate(String json, String pointer, String what) {
        JsonNode node;
        try {
            node = json == null || json.isEmpty() ? null : JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return List.of(what + " is not JSON: " + e.getOriginalMessage());
        }
        if (node == null) {
            return List.of(what + " is empty, the contract wants JSON");
        }
        try {
            return prefixed(what + ": ", schema(pointer).validate(node).stream().map(Error::toString).toList());
        } catch (NumberFormatException e) {
            // a literal beyond a double's range (1e400) is read as infinity, which the validator's number
            // keywords (enum, const, multipleOf) cannot make a decimal of: no schema here admits it
            return List.of(what + ": a number beyond a double's range where the schema checks a number (" + e.getMessage() + ")");
        }
    }

    private Schema schema(String pointer) {
        return schemas.computeIfAbsent(pointer, p ->
                registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + p.replace("{", "%7B").replace("}", "%7D"))));
    }

    private Optional<Operation> operation(Request request) {
        String method = request.method().toLowerCase(Locale.ROOT);
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            JsonNode op = path.getValue().get(method);
            if (op == null) {
                continue;
            }
            Optional<Map<String, String>> params = match(path.getKey(), request.path());
            if (params.isPresent()) {
                String itemPointer = "#/paths/" + path.getKey().replace("~", "~0").replace("/", "~1");
                return Optional.of(new Operation(path.getKey(), method, op, itemPointer + "/" + method,
                        path.getValue(), itemPointer, params.get()));
            }
        }
        return Optional.empty();
    }

    private static Optional<Map<String, String>> match(String template, String path) {
        String[] want = template.split("/", -1);
        String[] got = path.split("/", -1);
        if (want.length != got.length) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < want.length; i++) {
            if (want[i].startsWith("{") && want[i].endsWith("}") && !got[i].isEmpty()) {
                params.put(want[i].substring(1, want[i].length() - 1),
                        URLDecoder.decode(got[i].replace("+", "%2B"), StandardCharsets.UTF_8));
            } else if (!want[i].equals(got[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    /** A node with its {@code $ref}s (local ones) followed, and the pointer where it was found. */
    private record Resolved(JsonNode node, String pointer) {
    }

    private Resolved resolve(JsonNode node, String pointer) {
        while (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalStateException("only local $refs are supported, not " + ref);
            }
            pointer = ref;
            node = document.at(ref.substring(1));
        }
        return new Resolved(node, pointer);
    }

    private static JsonNode json(String text) {
        try {
            return text == null || text.isEmpty() ? JSON.missingNode() : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return JSON.missingNode();
        }
    }

    private static List<String> prefixed(String prefix, List<String> problems) {
        return problems.stream().map(p -> prefix + p).toList();
    }

    /**
     * A parameter's text as the JSON value its schema types it: a query string is text on the wire, and
     * {@code ?limit=50} is the integer 50 to a schema of {@code type: integer} (as client generators read it).
     */
    private static JsonNode parameterValue(JsonNode schema, String value) {
        String type = schema.path("type").asText("");
        if (type.equals("integer") && value.matches("-?[0-9]{1,18}")) {
            return LongNode.valueOf(Long.parseLong(value));
        }
        if (type.equals("number") && value.matches("-?[0-9]{1,18}(\\.[0-9]{1,18})?")) {
            return DoubleNode.valueOf(Double.parseDouble(value));
        }
        return TextNode.valueOf(value);
    }
}
