package io.splitline.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small JSON client for the HTTP API, as an app or an admin would call it. */
public final class ApiClient {
    /** A response: status, parsed body (null when empty) and headers. */
    public record Response(int status, JsonNode body, HttpHeaders headers) {
        public JsonNode expect(int wanted) {
            if (status != wanted) {
                throw new IllegalStateException("expected HTTP " + wanted + " but got " + status + ": " + body);
            }
            return body;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String key;

    public ApiClient(URI base, String key) {
        this.base = base;
        this.key = key;
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    public Response post(String path, Object body) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : json(body), StandardCharsets.UTF_8)));
    }

    public Response patch(String path, Object body) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json(body), StandardCharsets.UTF_8)));
    }

    private static String json(Object body) {
        return body instanceof String s ? s : Json.write(body);
    }

    private Response send(HttpRequest.Builder request) {
        request.timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json");
        if (key != null) {
            request.header("x-api-key", key);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            String body = response.body();
            return new Response(response.statusCode(), body == null || body.isEmpty() ? null : Json.parseTrusted(body),
                    response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + base, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
