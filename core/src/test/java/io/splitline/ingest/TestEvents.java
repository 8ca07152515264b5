package io.splitline.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import java.time.Instant;

/** Raw events as a client sends them to {@code POST /events}, for tests that drive ingest directly. */
public final class TestEvents {
    private TestEvents() {
    }

    /** An exposure ({@code metric} null) or a metric event of value 1 ({@code type} "metric"). */
    public static ObjectNode event(String id, String key, String unit, String type, String metric, Instant at) {
        ObjectNode e = Json.object();
        e.put("eventId", id);
        e.put("key", key);
        e.put("unitId", unit);
        e.put("type", type);
        if (metric != null) {
            e.put("metric", metric);
            e.put("value", 1);
        }
        e.put("timestamp", at.toString());
        return e;
    }
}
