package io.splitline.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.splitline.http.ApiException;
import io.splitline.http.ApiHandler;
import io.splitline.http.ApiRequest;
import io.splitline.http.ApiResponse;
import io.splitline.http.ApiRoutes;
import io.splitline.http.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API on loopback: each request is checked for the right key (app key for app routes, admin key
 * for the rest), turned into the API Gateway event the function gets in AWS and handed to the same
 * handler class. Also serves the dashboard's static files and {@code GET /health}. Every API exchange
 * goes through the {@link ExchangeCheck}s on the classpath (the tests' contract check; none in the jar).
 *
 * <p>Jetty (which DynamoDB Local brings along) rather than the JDK's server, for three reasons a caller
 * can reach: it parses request headers without holding a thread, so idle or slow clients cannot starve
 * the workers; every connection has an idle (read) timeout; and requests it cannot parse (a malformed
 * percent-escape, oversized headers) get the API's JSON error body, not an HTML page.
 */
final class LocalHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalHttpServer.class);
    private static final int MAX_BODY_BYTES = 2 * 1024 * 1024;
    /** A connection that sends or reads nothing for this long is closed (API Gateway allows 29 s). */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_THREADS = 64;
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "json", "application/json");

    private final Server server;
    private final ServerConnector connector;
    private final Map<ApiRoutes.Function, ApiHandler> functions;
    private final Consumer<ApiRoutes.Function> afterCall;
    private final String appKey;
    private final String adminKey;
    private final Clock clock;
    private final List<ExchangeCheck> checks = ServiceLoader.load(ExchangeCheck.class).stream()
            .map(ServiceLoader.Provider::get).toList();

    LocalHttpServer(int port, Map<ApiRoutes.Function, ApiHandler> functions,
                    String appKey, String adminKey, Clock clock) throws IOException {
        this(port, functions, appKey, adminKey, clock, function -> { });
    }

    /**
     * @param afterCall run after each call a function answered, before the reply is sent (the stack folds the
     *                  events table's stream there, so that what a call stored is counted when it returns)
     */
    LocalHttpServer(int port, Map<ApiRoutes.Function, ApiHandler> functions,
                    String appKey, String adminKey, Clock clock, Consumer<ApiRoutes.Function> afterCall) throws IOException {
        this.afterCall = afterCall;
        this.functions = Map.copyOf(functions);
        this.appKey = appKey;
        this.adminKey = adminKey;
        this.clock = clock;
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS);
        threads.setName("splitline-http");
        threads.setDaemon(true);
        this.server = new Server(threads);
        this.connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);
        server.setErrorHandler(new JsonErrors());
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                LocalHttpServer.this.handle(request, response, callback);
                return true;
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new IOException("cannot start the HTTP server on 127.0.0.1:" + port, e);
        }
    }

    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("the HTTP server did not stop cleanly", e);
        }
    }

    private void handle(Request request, Response response, Callback callback) {
        try {
            String method = request.getMethod();
            HttpURI uri = request.getHttpURI();
            String path = uri.getPath();
            if (method.equals("GET") && path.equals("/health")) {
                send(response, callback, 200, "application/json", "{\"status\":\"ok\"}");
                return;
            }
            var match = ApiRoutes.find(method, path);
            if (match.isEmpty()) {
                if (!(method.equals("GET") && serveStatic(response, callback, path))) {
                    sendError(response, callback, ErrorCode.NOT_FOUND, "no route " + method + " " + path);
                }
                return;
            }
            byte[] raw;
            try (InputStream in = Request.asInputStream(request)) {
                raw = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            Map<String, List<String>> headers = headers(request.getHeaders());
            Reply reply = api(match.get(), method, path, uri.getQuery(), headers, raw);
            // The contract check reads the body as text; a body that is not UTF-8 was refused with a 400 already.
            String body = raw.length == 0 || raw.length > MAX_BODY_BYTES ? null : new String(raw, StandardCharsets.UTF_8);
            reply = checked(method, path, uri.getQuery(), headers, body, reply);
            reply.headers().forEach((name, value) -> {
                if (!name.equalsIgnoreCase("Content-Type")) {
                    response.getHeaders().put(name, value);
                }
            });
            send(response, callback, reply.status(), reply.contentType(), reply.body());
        } catch (IOException | RuntimeException e) {
            LOG.error("local request failed", e);
            callback.failed(e);
        }
    }

    /** An answer to send; {@code headers} are the handler's own (e.g. {@code Retry-After}, {@code ETag}). */
    private record Reply(int status, String contentType, String body, Map<String, String> headers) {
        Reply(int status, String contentType, String body) {
            this(status, contentType, body, Map.of());
        }
    }

    private Reply api(ApiRoutes.Match match, String method, String path, String rawQuery,
                      Map<String, List<String>> headers, byte[] raw) {
        ApiRoutes.Route route = match.route();
        String key = last(headers, "x-api-key");
        String expected = route.access() == ApiRoutes.Access.APP ? appKey : adminKey;
        if (key == null || key.isEmpty()) {
            return error(ErrorCode.UNAUTHORIZED, "missing x-api-key header");
        }
        if (!key.equals(expected)) {
            return error(ErrorCode.FORBIDDEN, refusal(key, method, route));
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
        APIGatewayProxyRequestEvent event;
        try {
            event = ApiGatewayBridge.toEvent(match, method, path, rawQuery, headers, body, caller, key, clock.instant());
        } catch (IllegalArgumentException e) {
            return error(ErrorCode.INVALID_REQUEST, "malformed percent-escape in the URL: " + e.getMessage());
        }
        var function = functions.get(route.function());
        if (function == null) {
            return error(ErrorCode.NOT_FOUND, "function " + route.function().logicalId() + " is not part of this stack");
        }
        APIGatewayProxyResponseEvent answer = function.handleRequest(event, new LocalLambdaContext(route.function().logicalId()));
        afterCall.accept(route.function());
        Map<String, String> answerHeaders = answer.getHeaders() == null ? Map.of() : answer.getHeaders();
        return new Reply(answer.getStatusCode(), answerHeaders.getOrDefault("Content-Type", "application/json"),
                answer.getBody() == null ? "" : answer.getBody(), answerHeaders);
    }

    /** The reply, or a 500 naming what the registered checks found wrong with the exchange. */
    private Reply checked(String method, String path, String rawQuery, Map<String, List<String>> headers, String body,
                          Reply reply) {
        if (checks.isEmpty()) {
            return reply;
        }
        Map<String, String> query = new HashMap<>();
        try {
            ApiGatewayBridge.query(rawQuery).forEach((name, values) -> query.put(name, values.get(values.size() - 1)));
        } catch (IllegalArgumentException e) {
            return reply; // a malformed escape was answered 400 already
        }
        Map<String, String> lastHeaders = new HashMap<>();
        headers.forEach((name, values) -> lastHeaders.put(name, values.get(values.size() - 1)));
        ExchangeCheck.Exchange exchange = new ExchangeCheck.Exchange(method, path, query, lastHeaders, body,
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
        LOG.error("{} {} breaks the API contract: {}", method, path, violations);
        return error(ErrorCode.INTERNAL, "the exchange breaks the API contract: " + String.join("; ", violations));
    }

    private static String last(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }

    private static Reply error(ErrorCode code, String message) {
        return new Reply(code.status(), "application/json; charset=utf-8", errorJson(code, message));
    }

    /**
     * Why a key was refused: an unknown key and a key of the other role need different fixes, so they
     * get different messages (both 403, as API Gateway answers an unknown or unauthorised key).
     */
    private String refusal(String key, String method, ApiRoutes.Route route) {
        if (!key.equals(appKey) && !key.equals(adminKey)) {
            return "unknown x-api-key: use the app or admin key the local stack printed at start-up";
        }
        String needed = route.access() == ApiRoutes.Access.APP ? "app" : "admin";
        return "this is the " + (needed.equals("app") ? "admin" : "app") + " key; " + method + " " + route.resource()
                + " needs the " + needed + " key";
    }

    /** Header names as sent, each with all its values in order. */
    private static Map<String, List<String>> headers(HttpFields fields) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (HttpField field : fields) {
            headers.computeIfAbsent(field.getName(), n -> new ArrayList<>()).add(field.getValue());
        }
        return headers;
    }

    private boolean serveStatic(Response response, Callback callback, String path) throws IOException {
        String file = path.equals("/") ? "index.html" : path.substring(1);
        if (file.contains("..") || file.contains("//") || file.contains("%")) {
            return false;
        }
        String extension = file.substring(file.lastIndexOf('.') + 1);
        if (!CONTENT_TYPES.containsKey(extension)) {
            return false; // a directory (the class path lists its files) or nothing the dashboard is made of
        }
        try (InputStream in = LocalHttpServer.class.getResourceAsStream("/dashboard/" + file)) {
            if (in == null) {
                return false;
            }
            byte[] bytes = in.readAllBytes();
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            send(response, callback, 200, CONTENT_TYPES.get(extension), bytes);
            return true;
        }
    }

    private static void sendError(Response response, Callback callback, ErrorCode code, String message) {
        send(response, callback, code.status(), "application/json; charset=utf-8", errorJson(code, message));
    }

    private static String errorJson(ErrorCode code, String message) {
        return ApiResponse.error(code, message, null).bodyJson();
    }

    private static void send(Response response, Callback callback, int status, String contentType, String body) {
        send(response, callback, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** The API's JSON error body for what Jetty refuses itself (unparseable URL or headers, no route). */
    private static final class JsonErrors extends ErrorHandler {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = response.getStatus();
            Object message = request.getAttribute(ERROR_MESSAGE);
            sendError(response, callback, code(status), message == null ? "bad request" : message.toString());
            return true;
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
            String message = reason == null ? "the request could not be parsed" : reason;
            return ByteBuffer.wrap(errorJson(code(status), message).getBytes(StandardCharsets.UTF_8));
        }

        private static ErrorCode code(int status) {
            for (ErrorCode code : ErrorCode.values()) {
                if (code.status() == status) {
                    return code;
                }
            }
            return status == 431 ? ErrorCode.PAYLOAD_TOO_LARGE : status < 500 ? ErrorCode.INVALID_REQUEST : ErrorCode.INTERNAL;
        }
    }
}
