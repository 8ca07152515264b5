package io.splitline.notify.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The stored form of a {@link WatchedState}: {@code {"srm", "significant", "breached", "recommendation"}}, the
 * text kept beside the definition and compared on replacement.
 */
final class WatchedStateJson {
    private WatchedStateJson() {
    }

    static String toJson(WatchedState state) {
        ObjectNode node = Json.object();
        node.put("srm", state.srm());
        state.significant().forEach(node.putArray("significant")::add);
        state.breached().forEach(node.putArray("breached")::add);
        node.put("recommendation", state.recommendation());
        return Json.write(node);
    }

    static WatchedState fromJson(String json) {
        JsonNode node = Json.parseTrusted(json);
        SortedSet<String> significant = new TreeSet<>();
        node.path("significant").forEach(v -> significant.add(v.textValue()));
        SortedSet<String> breached = new TreeSet<>();
        node.path("breached").forEach(v -> breached.add(v.textValue()));
        JsonNode recommendation = node.get("recommendation");
        return new WatchedState(node.path("srm").booleanValue(), significant, breached,
                recommendation == null || recommendation.isNull() ? null : recommendation.textValue());
    }
}
