package io.splitline.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base of every API Gateway function: turns the proxy event into an {@link ApiRequest}, lets the
 * subclass route it to a service, and maps the outcome to a response. Client errors become the
 * documented error body; anything unexpected is logged with its stack trace and answered with a
 * bare {@code internal} error, so no stack trace or internal message ever reaches a client.
 */
public abstract class ApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final Map<String, String> JSON_HEADERS = Map.of("Content-Type", "application/json; charset=utf-8");

    @Override
    public final APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return toEvent(respond(event));
    }

    /** The response for one event, never throwing. */
    public final ApiResponse respond(APIGatewayProxyRequestEvent event) {
        try {
            return handle(ApiRequest.from(event));
        } catch (ApiException e) {
            if (e.code().status() >= 500) {
                LOG.error("{} {} failed: {}", event.getHttpMethod(), event.getPath(), e.getMessage(), e);
            } else {
                LOG.info("{} {} rejected: {} {} ({})", event.getHttpMethod(), event.getPath(),
                        e.code().status(), e.getMessage(), e.field());
            }
            return ApiResponse.error(e.code(), e.getMessage(), e.field());
        } catch (RuntimeException e) {
            LOG.error("{} {} failed unexpectedly", event.getHttpMethod(), event.getPath(), e);
            return ApiResponse.error(ErrorCode.INTERNAL, "internal error", null);
        }
    }

    /** Routes one request; throws {@link ApiException} for anything the client must be told. */
    protected abstract ApiResponse handle(ApiRequest request);

    /** The answer to a route this function does not serve. */
    protected static ApiException unknownRoute(ApiRequest request) {
        return ApiException.notFound("no route " + request.method() + " " + request.path());
    }

    private static APIGatewayProxyResponseEvent toEvent(ApiResponse response) {
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(response.status())
                .withHeaders(JSON_HEADERS)
                .withBody(response.bodyJson());
    }
}
