package io.splitline.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.splitline.http.ApiException;
import io.splitline.http.ApiRequest;
import io.splitline.http.ApiResponse;
import io.splitline.http.ApiRoutes;
import io.splitline.http.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API on loopback: each request is checked for the right key (app key for app routes, admin key
 * for the rest), turned into the API Gateway event the function gets in AWS and handed to the same
 * handler class. Also serves the dashboard's static files and {@code GET /health}.
 */
final class LocalHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalHttpServer.class);
    private static final int MAX_BODY_BYTES = 2 * 1024 * 1024;
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "json", "application/json");

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<ApiRoutes.Function, RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>> functions;
    private final String appKey;
    private final String adminKey;
    private final Clock clock;

    LocalHttpServer(int port, Map<ApiRoutes.Function, RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>> functions,
                    String appKey, String adminKey, Clock clock) throws IOException {
        this.functions = Map.copyOf(functions);
        this.appKey = appKey;
        this.adminKey = adminKey;
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        this.executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "splitline-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            URI uri = exchange.getRequestURI();
            String path = uri.getRawPath();
            if (method.equals("GET") && path.equals("/health")) {
                send(exchange, 200, "application/json", "{\"status\":\"ok\"}");
                return;
            }
            var match = ApiRoutes.find(method, path);
            if (match.isEmpty()) {
                if (method.equals("GET") && serveStatic(exchange, path)) {
                    return;
                }
                sendError(exchange, ErrorCode.NOT_FOUND, "no route " + method + " " + path);
                return;
            }
            ApiRoutes.Route route = match.get().route();
            String key = exchange.getRequestHeaders().getFirst("x-api-key");
            String expected = route.access() == ApiRoutes.Access.APP ? appKey : adminKey;
            if (key == null || key.isEmpty()) {
                sendError(exchange, ErrorCode.UNAUTHORIZED, "missing x-api-key header");
                return;
            }
            if (!key.equals(expected)) {
                sendError(exchange, ErrorCode.FORBIDDEN, "this key may not call " + method + " " + route.resource());
                return;
            }
            byte[] raw = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
            if (raw.length > MAX_BODY_BYTES) {
                sendError(exchange, ErrorCode.PAYLOAD_TOO_LARGE, "request body too large");
                return;
            }
            String body;
            try {
                body = raw.length == 0 ? null : ApiRequest.utf8Body(raw);
            } catch (ApiException e) {
                sendError(exchange, e.code(), e.getMessage());
                return;
            }
            String caller = route.access() == ApiRoutes.Access.ADMIN ? "admin" : null;
            APIGatewayProxyRequestEvent event = ApiGatewayBridge.toEvent(match.get(), method, uri,
                    exchange.getRequestHeaders(), body, caller, key, clock.instant());
            var function = functions.get(route.function());
            if (function == null) {
                sendError(exchange, ErrorCode.NOT_FOUND, "function " + route.function().logicalId() + " is not part of this stack");
                return;
            }
            APIGatewayProxyResponseEvent response = function.handleRequest(event,
                    new LocalLambdaContext(route.function().logicalId()));
            String contentType = response.getHeaders() == null ? "application/json"
                    : response.getHeaders().getOrDefault("Content-Type", "application/json");
            send(exchange, response.getStatusCode(), contentType, response.getBody() == null ? "" : response.getBody());
        } catch (RuntimeException e) {
            LOG.error("local request failed", e);
        }
    }

    private boolean serveStatic(HttpExchange exchange, String path) throws IOException {
        String file = path.equals("/") ? "index.html" : path.substring(1);
        if (file.contains("..") || file.contains("//")) {
            return false;
        }
        try (InputStream in = LocalHttpServer.class.getResourceAsStream("/dashboard/" + file)) {
            if (in == null) {
                return false;
            }
            String extension = file.substring(file.lastIndexOf('.') + 1);
            byte[] bytes = in.readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPES.getOrDefault(extension, "application/octet-stream"));
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
            return true;
        }
    }

    private static void sendError(HttpExchange exchange, ErrorCode code, String message) throws IOException {
        ApiResponse error = ApiResponse.error(code, message, null);
        send(exchange, error.status(), "application/json; charset=utf-8", error.bodyJson());
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
