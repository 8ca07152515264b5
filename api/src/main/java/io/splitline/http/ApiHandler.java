package io.splitline.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.error.DomainException;
import io.splitline.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base of every API Gateway function: turns the proxy event into an {@link ApiRequest}, lets the
 * subclass route it to a service, and maps the outcome to a response. Client errors become the
 * documented error body (a retryable one with {@code Retry-After}); anything unexpected is logged with
 * its stack trace and answered with a bare {@code internal} error, so no stack trace or internal message
 * ever reaches a client.
 *
 * <p>Lambda calls the stream entry point ({@link #handleRequest(InputStream, OutputStream, Context)}:
 * the runtime prefers it, with or without {@code ::handleRequest} in the template). It reads the
 * event with the service's own JSON mapper, so a cold start does not pay for the runtime's reflective
 * event binding (its own Jackson and ~840 classes: ~180 of a typed no-op function's ~250 ms cold start,
 * see BENCHMARKS.md). The typed entry point answers identically; the local stack and tests use it.
 */
public abstract class ApiHandler implements RequestStreamHandler,
        RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final Map<String, String> JSON_HEADERS = Map.of("Content-Type", "application/json; charset=utf-8");

    /** Lambda's entry point: the API Gateway proxy event as JSON in, the proxy response as JSON out. */
    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event;
        try {
            event = Json.MAPPER.readTree(input);
        } catch (IOException e) {
            LOG.error("unreadable API Gateway event", e);
            write(ApiResponse.error(ErrorCode.INTERNAL, "internal error", null), output);
            return;
        }
        JsonNode method = event.path("httpMethod");
        JsonNode path = event.path("path");
        write(respond(method.asText(null), path.asText(null), () -> ApiRequest.fromJson(event)), output);
    }

    @Override
    public final APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return toEvent(respond(event));
    }

    /** The response for one event, never throwing. */
    public final ApiResponse respond(APIGatewayProxyRequestEvent event) {
        return respond(event.getHttpMethod(), event.getPath(), () -> ApiRequest.from(event));
    }

    private ApiResponse respond(String method, String path, Supplier<ApiRequest> request) {
        try {
            return handle(request.get());
        } catch (DomainException e) {
            return error(method, path, DomainErrors.toApi(e));
        } catch (ApiException e) {
            return error(method, path, e);
        } catch (RuntimeException e) {
            LOG.error("{} {} failed unexpectedly", method, path, e);
            return ApiResponse.error(ErrorCode.INTERNAL, "internal error", null);
        }
    }

    private static ApiResponse error(String method, String path, ApiException e) {
        if (e.code().status() >= 500) {
            LOG.error("{} {} failed: {}", method, path, e.getMessage(), e);
        } else {
            LOG.info("{} {} rejected: {} {} ({})", method, path, e.code().status(), e.getMessage(), e.field());
        }
        ApiResponse error = ApiResponse.error(e.code(), e.getMessage(), e.field());
        return e.retryAfter() == null ? error
                : error.withHeader("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
    }

    /**
     * Routes one request; throws a {@link DomainException} (or, for HTTP-level problems, an
     * {@link ApiException}) for anything the client must be told.
     */
    protected abstract ApiResponse handle(ApiRequest request);

    /** The answer to a route this function does not serve. */
    protected static ApiException unknownRoute(ApiRequest request) {
        return ApiException.notFound("no route " + request.method() + " " + request.path());
    }

    private static APIGatewayProxyResponseEvent toEvent(ApiResponse response) {
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(response.status())
                .withHeaders(headers(response))
                .withBody(response.bodyJson());
    }

    private static Map<String, String> headers(ApiResponse response) {
        if (response.headers().isEmpty()) {
            return JSON_HEADERS;
        }
        Map<String, String> all = new LinkedHashMap<>(JSON_HEADERS);
        all.putAll(response.headers());
        return all;
    }

    /** The proxy response as API Gateway reads it: the fields the typed response event serialises to. */
    private static void write(ApiResponse response, OutputStream output) throws IOException {
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(output)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET); // the runtime owns its stream
            json.writeStartObject();
            json.writeNumberField("statusCode", response.status());
            json.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> header : headers(response).entrySet()) {
                json.writeStringField(header.getKey(), header.getValue());
            }
            json.writeEndObject();
            if (response.body() != null) {
                json.writeStringField("body", response.bodyJson());
            }
            json.writeBooleanField("isBase64Encoded", false);
            json.writeEndObject();
        }
    }
}
