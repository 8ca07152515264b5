package io.splitline.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.devkit.OpenApiContract;
import io.splitline.devkit.SampleEvents;
import io.splitline.json.Json;

/**
 * For handler tests: the API Gateway sample events of {@code events/} and calls of an {@link ApiHandler}
 * whose every exchange is checked against the published contract ({@code docs/openapi.yaml}).
 */
public final class HandlerCalls {
    /** The published contract, for events that API Gateway has authorised already. */
    public static final OpenApiContract CONTRACT = OpenApiContract.load().behindApiGateway();

    private HandlerCalls() {
    }

    /** A handler's answer, its body parsed. */
    public record Answer(int status, JsonNode body) {
    }

    /** The API Gateway proxy event of the sample {@code events/<name>}. */
    public static APIGatewayProxyRequestEvent sample(String name) {
        return EventLoader.loadApiGatewayRestEvent(SampleEvents.path(name).toString());
    }

    /** Calls the handler; an exchange that breaks {@code docs/openapi.yaml} fails the test. */
    public static Answer call(ApiHandler handler, APIGatewayProxyRequestEvent event) {
        APIGatewayProxyResponseEvent response = exchange(handler, event);
        return new Answer(response.getStatusCode(), Json.parseTrusted(response.getBody()));
    }

    /** Calls the handler; an unexpected status or an exchange that breaks {@code docs/openapi.yaml} fails the test. */
    public static JsonNode call(ApiHandler handler, APIGatewayProxyRequestEvent event, int status) {
        APIGatewayProxyResponseEvent response = exchange(handler, event);
        assertEquals(status, response.getStatusCode(), response.getBody());
        return Json.parseTrusted(response.getBody());
    }

    private static APIGatewayProxyResponseEvent exchange(ApiHandler handler, APIGatewayProxyRequestEvent event) {
        APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);
        CONTRACT.assertHolds(new OpenApiContract.Request(event.getHttpMethod(), event.getPath(),
                        event.getQueryStringParameters(), event.getHeaders(), event.getBody()),
                new OpenApiContract.Response(response.getStatusCode(), response.getBody()));
        return response;
    }
}
