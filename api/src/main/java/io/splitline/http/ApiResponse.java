package io.splitline.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON answer: a status, a body that is serialised once, on the way out, and headers beyond the
 * content type (such as {@code Retry-After} or caching headers).
 *
 * @param body    the body, or null for none (304)
 * @param headers extra response headers
 */
public record ApiResponse(int status, Object body, Map<String, String> headers) {
    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public ApiResponse(int status, Object body) {
        this(status, body, Map.of());
    }

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, body);
    }

    public static ApiResponse created(Object body) {
        return new ApiResponse(201, body);
    }

    /** The documented error body {@code {"error", "message", "field"}}. */
    public static ApiResponse error(ErrorCode code, String message, String field) {
        ObjectNode body = Json.object();
        body.put("error", code.code());
        body.put("message", message);
        body.put("field", field);
        return new ApiResponse(code.status(), body);
    }

    /** The same answer with one more header. */
    public ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, body, more);
    }

    /** The body as sent; null when there is none. */
    public String bodyJson() {
        if (body == null) {
            return null;
        }
        return body instanceof String s ? s : Json.write(body);
    }
}
