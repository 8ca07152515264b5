package io.splitline.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;

/** The JSON of an {@link IngestResult}: the answer of {@code POST /events}. */
public final class IngestResultJson {
    private IngestResultJson() {
    }

    public static ObjectNode toJson(IngestResult result) {
        ObjectNode node = Json.object();
        node.put("accepted", result.accepted());
        node.put("duplicates", result.duplicates());
        node.put("ignored", result.ignored());
        ArrayNode list = node.putArray("rejected");
        for (Rejection r : result.rejected()) {
            ObjectNode entry = list.addObject();
            entry.put("index", r.index());
            entry.put("error", r.error());
            entry.put("message", r.message());
            entry.put("field", r.field());
        }
        return node;
    }
}
