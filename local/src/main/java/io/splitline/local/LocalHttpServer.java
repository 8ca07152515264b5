package io.splitline.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.splitline.http.ApiHandler;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * handler class. Also serves the dashboard's static files and {@code GET /health}.
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
    private final String appKey;
    private final String adminKey;
    private final Clock clock;

    LocalHttpServer(int port, Map<ApiRoutes.Function, ApiHandler> functions,
                    String appKey, String adminKey, Clock clock) throws IOException {
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
            ApiRoutes.Route route = match.get().route();
            String key = request.getHeaders().get("x-api-key");
            String expected = route.access() == ApiRoutes.Access.APP ? appKey : adminKey;
            if (key == null || key.isEmpty()) {
                sendError(response, callback, ErrorCode.UNAUTHORIZED, "missing x-api-key header");
                return;
            }
            if (!key.equals(expected)) {
                sendError(response, callback, ErrorCode.FORBIDDEN, refusal(key, method, route));
                return;
            }
            byte[] raw;
            try (InputStream in = Request.asInputStream(request)) {
                raw = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            if (raw.length > MAX_BODY_BYTES) {
                sendError(response, callback, ErrorCode.PAYLOAD_TOO_LARGE, "request body too large");
                return;
            }
            String body = raw.length == 0 ? null : new String(raw, StandardCharsets.UTF_8);
            String caller = route.access() == ApiRoutes.Access.ADMIN ? "admin" : null;
            APIGatewayProxyRequestEvent event;
            try {
                event = ApiGatewayBridge.toEvent(match.get(), method, path, uri.getQuery(),
                        headers(request.getHeaders()), body, caller, key, clock.instant());
            } catch (IllegalArgumentException e) {
                sendError(response, callback, ErrorCode.INVALID_REQUEST, "malformed percent-escape in the URL: " + e.getMessage());
                return;
            }
            var function = functions.get(route.function());
            if (function == null) {
                sendError(response, callback, ErrorCode.NOT_FOUND, "function " + route.function().logicalId() + " is not part of this stack");
                return;
            }
            APIGatewayProxyResponseEvent answer = function.handleRequest(event,
                    new LocalLambdaContext(route.function().logicalId()));
            String contentType = answer.getHeaders() == null ? "application/json"
                    : answer.getHeaders().getOrDefault("Content-Type", "application/json");
            send(response, callback, answer.getStatusCode(), contentType, answer.getBody() == null ? "" : answer.getBody());
        } catch (IOException | RuntimeException e) {
            LOG.error("local request failed", e);
            callback.failed(e);
        }
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
        try (InputStream in = LocalHttpServer.class.getResourceAsStream("/dashboard/" + file)) {
            if (in == null) {
                return false;
            }
            String extension = file.substring(file.lastIndexOf('.') + 1);
            byte[] bytes = in.readAllBytes();
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            send(response, callback, 200, CONTENT_TYPES.getOrDefault(extension, "application/octet-stream"), bytes);
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
