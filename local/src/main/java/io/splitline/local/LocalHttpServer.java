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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API on loopback: each request is checked for the right key (app key for app routes, admin key
 * for the rest), turned into the API Gateway event the function gets in AWS and handed to the same
 * handler class. Also serves the dashboard's static files and {@code GET /health}. Every API exchange
 * goes through the {@link ExchangeCheck}s on the classpath (the tests' contract check; none in the jar).
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
    private final List<ExchangeCheck> checks = ServiceLoader.load(ExchangeCheck.class).stream()
            .map(ServiceLoader.Provider::get).toList();

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
                send(exchange, new Reply(200, "application/json", "{\"status\":\"ok\"}"));
                return;
            }
            if (method.equals("GET") && ApiRoutes.find(method, path).isEmpty() && serveStatic(exchange, path)) {
                return;
            }
            byte[] raw = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
            Reply reply = api(method, uri, exchange.getRequestHeaders(), raw);
            // The contract check reads the body as text; a body that is not UTF-8 was refused with a 400 already.
            String body = raw.length == 0 || raw.length > MAX_BODY_BYTES ? null : new String(raw, StandardCharsets.UTF_8);
            send(exchange, checked(method, uri, exchange.getRequestHeaders(), body, reply));
        } catch (RuntimeException e) {
            LOG.error("local request failed", e);
        }
    }

    /** An answer to send; {@code headers} are the handler's own (e.g. {@code Retry-After}), sent as they are. */
    private record Reply(int status, String contentType, String body, Map<String, String> headers) {
        Reply(int status, String contentType, String body) {
            this(status, contentType, body, Map.of());
        }
    }

    private Reply api(String method, URI uri, Map<String, List<String>> headers, byte[] raw) {
        String path = uri.getRawPath();
        var match = ApiRoutes.find(method, path);
        if (match.isEmpty()) {
            return error(ErrorCode.NOT_FOUND, "no route " + method + " " + path);
        }
        ApiRoutes.Route route = match.get().route();
        String key = last(headers, "x-api-key");
        String expected = route.access() == ApiRoutes.Access.APP ? appKey : adminKey;
        if (key == null || key.isEmpty()) {
            return error(ErrorCode.UNAUTHORIZED, "missing x-api-key header");
        }
        if (!key.equals(expected)) {
            return error(ErrorCode.FORBIDDEN, "this key may not call " + method + " " + route.resource());
        }
        if (raw.length > MAX_BODY_BYTES) {
            return error(ErrorCode.PAYLOAD_TOO_LARGE, "request body too large");
        }
        String body;
        try {
            body = raw.length == 0 ? null : ApiRequest.utf8Body(raw);
        } catch (ApiException e) {
            return error(e.code(), e.getMessage());
        }
        String caller = route.access() == ApiRoutes.Access.ADMIN ? "admin" : null;
        APIGatewayProxyRequestEvent event = ApiGatewayBridge.toEvent(match.get(), method, uri, headers, body, caller,
                key, clock.instant());
        var function = functions.get(route.function());
        if (function == null) {
            return error(ErrorCode.NOT_FOUND, "function " + route.function().logicalId() + " is not part of this stack");
        }
        APIGatewayProxyResponseEvent response = function.handleRequest(event, new LocalLambdaContext(route.function().logicalId()));
        String contentType = response.getHeaders() == null ? "application/json"
                : response.getHeaders().getOrDefault("Content-Type", "application/json");
        return new Reply(response.getStatusCode(), contentType, response.getBody() == null ? "" : response.getBody(),
                response.getHeaders() == null ? Map.of() : response.getHeaders());
    }

    /** The reply, or a 500 naming what the registered checks found wrong with the exchange. */
    private Reply checked(String method, URI uri, Map<String, List<String>> headers, String body, Reply reply) {
        if (checks.isEmpty()) {
            return reply;
        }
        Map<String, String> query = new HashMap<>();
        ApiGatewayBridge.query(uri.getRawQuery()).forEach((name, values) -> query.put(name, values.get(values.size() - 1)));
        Map<String, String> lastHeaders = new HashMap<>();
        headers.forEach((name, values) -> {
            if (!values.isEmpty()) {
                lastHeaders.put(name, values.get(values.size() - 1));
            }
        });
        ExchangeCheck.Exchange exchange = new ExchangeCheck.Exchange(method, uri.getRawPath(), query, lastHeaders, body,
                reply.status(), reply.body());
        List<String> violations;
        try {
            violations = checks.stream().flatMap(c -> c.violations(exchange).stream()).toList();
        } catch (RuntimeException e) {
            violations = List.of("the check failed: " + e);
        }
        if (violations.isEmpty()) {
            return reply;
        }
        LOG.error("{} {} breaks the API contract: {}", method, uri, violations);
        return error(ErrorCode.INTERNAL, "the exchange breaks the API contract: " + String.join("; ", violations));
    }

    private static String last(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
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

    private static Reply error(ErrorCode code, String message) {
        ApiResponse error = ApiResponse.error(code, message, null);
        return new Reply(error.status(), "application/json; charset=utf-8", error.bodyJson());
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
