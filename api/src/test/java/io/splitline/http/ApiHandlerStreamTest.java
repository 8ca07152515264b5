package io.splitline.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Lambda's stream entry point answers exactly as the typed one does, for the same API Gateway event. */
class ApiHandlerStreamTest {

    /** Echoes what it was given; fails on demand. */
    static final class EchoHandler extends ApiHandler {
        @Override
        protected ApiResponse handle(ApiRequest request) {
            switch (request.route()) {
                case "POST /echo/{key}" -> {
                    ObjectNode body = Json.object();
                    body.put("key", request.pathParam("key"));
                    body.put("q", request.queryParam("q").orElse(null));
                    body.put("contentType", request.headers().get("content-type"));
                    body.put("body", request.body());
                    body.put("actor", request.actor());
                    return ApiResponse.ok(body);
                }
                case "GET /invalid" -> throw ApiException.invalid("field.path", "bad field");
                case "GET /boom" -> throw new IllegalStateException("internal detail that must not leak");
                default -> throw unknownRoute(request);
            }
        }
    }

    record Case(String name, APIGatewayProxyRequestEvent typed, String json) {
    }

    static APIGatewayProxyRequestEvent event(String method, String resource, String path, String body, boolean base64,
                                             APIGatewayProxyRequestEvent.RequestIdentity identity) {
        return new APIGatewayProxyRequestEvent()
                .withHttpMethod(method).withResource(resource).withPath(path)
                .withPathParameters(resource.contains("{key}") ? Map.of("key", "checkout") : null)
                .withQueryStringParameters(Map.of("q", "1"))
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withBody(body).withIsBase64Encoded(base64)
                .withRequestContext(identity == null ? null
                        : new APIGatewayProxyRequestEvent.ProxyRequestContext().withIdentity(identity));
    }

    /** The event as Lambda delivers it, including fields the typed entry ignores. */
    static String json(APIGatewayProxyRequestEvent e) {
        ObjectNode o = Json.object();
        o.put("resource", e.getResource());
        o.put("path", e.getPath());
        o.put("httpMethod", e.getHttpMethod());
        o.set("headers", Json.MAPPER.valueToTree(e.getHeaders()));
        o.putObject("multiValueHeaders").putArray("Content-Type").add("application/json");
        o.set("queryStringParameters", Json.MAPPER.valueToTree(e.getQueryStringParameters()));
        o.set("pathParameters", e.getPathParameters() == null ? o.nullNode() : Json.MAPPER.valueToTree(e.getPathParameters()));
        o.putNull("stageVariables");
        if (e.getRequestContext() != null) {
            ObjectNode identity = o.putObject("requestContext").put("stage", "v1").putObject("identity");
            identity.put("userArn", e.getRequestContext().getIdentity().getUserArn());
            identity.put("caller", e.getRequestContext().getIdentity().getCaller());
            identity.put("apiKey", e.getRequestContext().getIdentity().getApiKey());
            identity.put("sourceIp", "203.0.113.10");
        }
        o.put("body", e.getBody());
        o.put("isBase64Encoded", e.getIsBase64Encoded());
        return Json.write(o);
    }

    static Case of(String name, APIGatewayProxyRequestEvent typed) {
        return new Case(name, typed, json(typed));
    }

    static JsonNode stream(ApiHandler handler, String eventJson) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.parseTrusted(out.toString(StandardCharsets.UTF_8));
    }

    @TestFactory
    Stream<DynamicTest> streamEntry_answersAsTheTypedEntry() {
        var app = new APIGatewayProxyRequestEvent.RequestIdentity().withApiKey("key-1");
        var iam = new APIGatewayProxyRequestEvent.RequestIdentity().withUserArn("arn:aws:iam::123456789012:user/ada");
        String encoded = Base64.getEncoder().encodeToString("{\"é\": 1}".getBytes(StandardCharsets.UTF_8));
        return Stream.of(
                of("app key, query, path parameter, header", event("POST", "/echo/{key}", "/echo/checkout", "{\"a\": 1}", false, app)),
                of("IAM caller, base64 body", event("POST", "/echo/{key}", "/echo/checkout", encoded, true, iam)),
                of("no request context", event("POST", "/echo/{key}", "/echo/checkout", null, false, null)),
                of("client error", event("GET", "/invalid", "/invalid", null, false, app)),
                of("unexpected failure", event("GET", "/boom", "/boom", null, false, app)),
                of("unknown route", event("DELETE", "/nothing", "/nothing", null, false, app)),
                of("body over 1 MiB", event("POST", "/echo/{key}", "/echo/checkout", "x".repeat(ApiRequest.MAX_BODY_BYTES + 1), false, app))
        ).map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            EchoHandler handler = new EchoHandler();
            APIGatewayProxyResponseEvent typed = handler.handleRequest(c.typed(), null);

            JsonNode streamed = stream(handler, c.json());

            assertEquals(typed.getStatusCode(), streamed.get("statusCode").asInt());
            assertEquals(typed.getHeaders(), Json.MAPPER.convertValue(streamed.get("headers"), Map.class));
            assertEquals(Json.parseTrusted(typed.getBody()), Json.parseTrusted(streamed.get("body").asText()));
            assertFalse(streamed.get("isBase64Encoded").asBoolean());
        }));
    }

    @Test
    void unreadableEvent_isAnInternalErrorWithoutDetail() throws IOException {
        JsonNode streamed = stream(new EchoHandler(), "{not json");

        assertEquals(500, streamed.get("statusCode").asInt());
        assertEquals("{\"error\":\"internal\",\"message\":\"internal error\",\"field\":null}", streamed.get("body").asText());
    }
}
