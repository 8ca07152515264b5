package io.splitline.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import java.util.Comparator;
import java.util.List;

/**
 * Outcome of a batch, like Kinesis PutRecords: every event is exactly one of accepted, duplicate
 * (seen before), ignored (valid, but nothing to count: no exposure, or the experiment is not active) or
 * rejected (with its error).
 */
public record IngestResult(int accepted, int duplicates, int ignored, List<Rejection> rejected) {
    public IngestResult {
        rejected = rejected.stream().sorted(Comparator.comparingInt(Rejection::index)).toList();
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("accepted", accepted);
        node.put("duplicates", duplicates);
        node.put("ignored", ignored);
        ArrayNode list = node.putArray("rejected");
        for (Rejection r : rejected) {
            ObjectNode entry = list.addObject();
            entry.put("index", r.index());
            entry.put("error", r.error());
            entry.put("message", r.message());
            entry.put("field", r.field());
        }
        return node;
    }
}
