package io.splitline.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;

/** A JSON answer: a status and a body that is serialised once, on the way out. */
public record ApiResponse(int status, Object body) {

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

    public String bodyJson() {
        return body instanceof String s ? s : Json.write(body);
    }
}
