package io.splitline.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One API call as the services see it, independent of API Gateway's event classes.
 *
 * @param method      HTTP method, upper case
 * @param resource    the matched route template, e.g. {@code /experiments/{key}}
 * @param path        the concrete path, e.g. {@code /experiments/checkout-button}
 * @param pathParams  values of the template's {@code {placeholders}}
 * @param query       query-string parameters (last value wins)
 * @param headers     headers with case-insensitive names
 * @param body        the UTF-8 body, or null
 * @param actor       who is calling: the IAM caller's ARN in AWS, the key's role in the local stack
 */
public record ApiRequest(String method, String resource, String path, Map<String, String> pathParams,
                         Map<String, String> query, Map<String, String> headers, String body, String actor) {

    /** Bodies above this many bytes are answered with 413 (API contract: 1 MiB). */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    public ApiRequest {
        pathParams = pathParams == null ? Map.of() : Map.copyOf(pathParams);
        query = query == null ? Map.of() : Map.copyOf(query);
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            h.putAll(headers);
        }
        headers = h;
    }

    /** Reads an API Gateway REST (v1 proxy) event. */
    public static ApiRequest from(APIGatewayProxyRequestEvent event) {
        APIGatewayProxyRequestEvent.RequestIdentity identity = event.getRequestContext() == null
                ? null : event.getRequestContext().getIdentity();
        return of(event.getHttpMethod(), event.getResource(), event.getPath(), event.getPathParameters(),
                event.getQueryStringParameters(), event.getHeaders(), event.getBody(),
                Boolean.TRUE.equals(event.getIsBase64Encoded()),
                identity == null ? null : actor(identity.getUserArn(), identity.getCaller(), identity.getApiKey()));
    }

    /**
     * Reads an API Gateway REST (v1 proxy) event from its JSON, as Lambda delivers it to a stream handler:
     * the same request as {@link #from(APIGatewayProxyRequestEvent)} gives for the same event, without the
     * runtime's reflective event binding.
     */
    public static ApiRequest fromJson(JsonNode event) {
        JsonNode identity = event.path("requestContext").path("identity");
        return of(text(event, "httpMethod"), text(event, "resource"), text(event, "path"),
                strings(event.get("pathParameters")), strings(event.get("queryStringParameters")),
                strings(event.get("headers")), text(event, "body"), event.path("isBase64Encoded").asBoolean(false),
                identity.isObject() ? actor(text(identity, "userArn"), text(identity, "caller"), text(identity, "apiKey")) : null);
    }

    private static ApiRequest of(String method, String resource, String path, Map<String, String> pathParams,
                                 Map<String, String> query, Map<String, String> headers, String body, boolean base64,
                                 String actor) {
        if (body != null && base64) {
            body = utf8Body(Base64.getMimeDecoder().decode(body));
        }
        if (body != null && utf8Length(body) > MAX_BODY_BYTES) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "request body exceeds " + MAX_BODY_BYTES + " bytes", null);
        }
        return new ApiRequest(method, resource, path, pathParams, query, headers, body, actor == null ? "anonymous" : actor);
    }

    /**
     * A request body's bytes as text. Bytes that are not well-formed UTF-8 are a 400, never replaced
     * by U+FFFD: two different ids would otherwise arrive as the same string.
     */
    public static String utf8Body(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ApiException(ErrorCode.INVALID_REQUEST,
                    "request body is not well-formed UTF-8: send JSON encoded as UTF-8", null, e);
        }
    }

    private static String actor(String userArn, String caller, String apiKey) {
        if (userArn != null) {
            return userArn;
        }
        if (caller != null) {
            return caller;
        }
        if (apiKey != null) {
            return "app";
        }
        return "anonymous";
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** A JSON object of strings (headers, parameters); null or absent reads as none. */
    private static Map<String, String> strings(JsonNode object) {
        if (object == null || !object.isObject()) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (!field.getValue().isNull()) {
                values.put(field.getKey(), field.getValue().asText());
            }
        }
        return values;
    }

    /** {@code "POST /experiments/{key}/start"}: what handlers switch on. */
    public String route() {
        return method + " " + resource;
    }

    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalStateException("route " + resource + " has no path parameter " + name);
        }
        return value;
    }

    public Optional<String> queryParam(String name) {
        return Optional.ofNullable(query.get(name));
    }

    private static long utf8Length(String s) {
        // Cheap upper bound first: a char is at most 3 UTF-8 bytes.
        if ((long) s.length() * 3 <= MAX_BODY_BYTES) {
            return s.length();
        }
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
